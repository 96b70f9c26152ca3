import { projects } from "@trellis/db";
import { and, asc, desc, eq, ilike, isNull, or, type SQL, sql } from "drizzle-orm";
import { authedProcedure } from "../../procedures.js";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { selectProjects } from "./rows.js";
import { listProjectsInput, type Project, projectListSchema, type ProjectSort } from "./schemas.js";

const sortSpecs = {
  createdAt_desc: { column: projects.createdAt, dir: "desc", key: (p: Project) => p.createdAt.toISOString() },
  createdAt_asc: { column: projects.createdAt, dir: "asc", key: (p: Project) => p.createdAt.toISOString() },
  updatedAt_desc: { column: projects.updatedAt, dir: "desc", key: (p: Project) => p.updatedAt.toISOString() },
  name_asc: { column: projects.name, dir: "asc", key: (p: Project) => p.name },
  name_desc: { column: projects.name, dir: "desc", key: (p: Project) => p.name },
} as const satisfies Record<ProjectSort, unknown>;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export const list = authedProcedure
  .meta({ openapi: { method: "GET", path: "/projects", tags: ["projects"], summary: "List projects (keyset pagination)" } })
  .input(listProjectsInput)
  .output(projectListSchema)
  .query(async ({ ctx, input }) => {
    const spec = sortSpecs[input.sort];
    const where: Array<SQL | undefined> = [];
    if (!input.includeArchived) where.push(isNull(projects.archivedAt));
    if (input.status) where.push(eq(projects.status, input.status));
    if (input.ownerId) where.push(eq(projects.ownerId, input.ownerId));
    if (input.q) {
      const pattern = `%${escapeLike(input.q)}%`;
      where.push(or(ilike(projects.name, pattern), ilike(projects.description, pattern)));
    }
    if (input.cursor) {
      const { value, id } = decodeCursor(input.sort, input.cursor);
      const typed = spec.column === projects.name ? sql`${value}` : sql`${value}::timestamptz`;
      // Row comparison on (sort key, id): a total order, so no row is skipped or repeated
      // when rows are inserted between pages.
      where.push(
        spec.dir === "desc"
          ? sql`(${spec.column}, ${projects.id}) < (${typed}, ${id}::uuid)`
          : sql`(${spec.column}, ${projects.id}) > (${typed}, ${id}::uuid)`,
      );
    }
    const order = spec.dir === "desc" ? [desc(spec.column), desc(projects.id)] : [asc(spec.column), asc(projects.id)];
    const rows = await selectProjects(ctx.db)
      .where(and(...where))
      .orderBy(...order)
      .limit(input.limit + 1);
    const items = rows.slice(0, input.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > input.limit && last ? encodeCursor(input.sort, { value: spec.key(last), id: last.id }) : null;
    return { items, nextCursor };
  });
