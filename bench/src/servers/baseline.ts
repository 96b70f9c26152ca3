// The baseline: a bare Fastify route with a postgres.js client, running the same SQL that
// `project.list` runs with its default arguments and answering with the same JSON shape.
// No logger, no hooks, no validation: what a hand-written service would do.
import Fastify from "fastify";
import postgres from "postgres";
import { serve } from "./protocol.js";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

serve(async (spec) => {
  const sql = postgres(spec.databaseUrl, {
    max: spec.poolSize,
    onnotice: () => {},
    connect_timeout: 10,
    types: {
      // Same JSON as the app: bigint budgets as numbers (drizzle `mode: "number"`),
      // dates as "YYYY-MM-DD" strings (drizzle `mode: "string"`).
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
      day: { to: 1082, from: [1082], serialize: (x: string) => x, parse: (x: string) => x },
    },
  });
  const app = Fastify();

  app.get<{ Querystring: { limit?: string } }>("/projects", async (req) => {
    const n = Number(req.query.limit ?? DEFAULT_LIMIT);
    const limit = Number.isInteger(n) && n >= 1 && n <= MAX_LIMIT ? n : DEFAULT_LIMIT;
    // The statement drizzle generates for selectProjects(db).where(isNull(archivedAt))
    // .orderBy(desc(createdAt), desc(id)).limit(limit + 1), with aliases for the JSON keys.
    const rows = await sql`
      select "projects"."id", "projects"."name", "projects"."description", "projects"."status",
             "projects"."owner_id" as "ownerId", "users"."name" as "ownerName", "projects"."tags",
             "projects"."budget_cents" as "budgetCents", "projects"."due_date" as "dueDate",
             "projects"."created_at" as "createdAt", "projects"."updated_at" as "updatedAt",
             "projects"."archived_at" as "archivedAt", "projects"."version"
      from "projects" inner join "users" on "users"."id" = "projects"."owner_id"
      where "projects"."archived_at" is null
      order by "projects"."created_at" desc, "projects"."id" desc
      limit ${limit + 1}`;
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? Buffer.from(JSON.stringify(["createdAt_desc", (last.createdAt as Date).toISOString(), last.id])).toString("base64url")
        : null;
    return { items, nextCursor };
  });

  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return {
    url,
    async close() {
      await app.close();
      await sql.end({ timeout: 5 });
    },
  };
});
