import { projects } from "@trellis/db";
import { and, asc, desc, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { authedProcedure } from "../../procedures.js";
import { decodeCursor, encodeCursor, type ListPosition } from "./cursor.js";
import { StatementCache } from "./list-statements.js";
import { type Bind, bindValue, likePattern, type ProjectFilterValues, projectFilterConditions } from "../../domain/project/filter.js";
import { selectProjects } from "../../domain/project/rows.js";
import { listProjectsInput, type Project, projectListSchema, type ProjectSort } from "./schemas.js";

const sortSpecs = {
  createdAt_desc: { column: projects.createdAt, dir: "desc", key: (p: Project) => p.createdAt.toISOString() },
  createdAt_asc: { column: projects.createdAt, dir: "asc", key: (p: Project) => p.createdAt.toISOString() },
  updatedAt_desc: { column: projects.updatedAt, dir: "desc", key: (p: Project) => p.updatedAt.toISOString() },
  name_asc: { column: projects.name, dir: "asc", key: (p: Project) => p.name },
  name_desc: { column: projects.name, dir: "desc", key: (p: Project) => p.name },
} as const satisfies Record<ProjectSort, unknown>;

type ListInput = z.output<typeof listProjectsInput>;

/** Every value the list query binds, by placeholder name (a type, not an interface: it is a placeholder record). */
type ListValues = ProjectFilterValues & {
  cursorValue?: string;
  cursorId?: string;
  limit: number;
};

const bindPlaceholder: Bind<ListValues> = (name) => sql.placeholder(name);

/**
 * The list query. Which conditions it has (the shape) depends only on which filters are present
 * and the sort; the values go through `bind`, so the prepared and the one-off query are the same
 * SQL with the same parameters.
 */
function listQuery(db: Parameters<typeof selectProjects>[0], input: ListInput, values: ListValues, bind: Bind<ListValues>) {
  const spec = sortSpecs[input.sort];
  const where: Array<SQL | undefined> = projectFilterConditions(input.includeArchived, values, bind);
  if (values.cursorValue !== undefined && values.cursorId !== undefined) {
    const value = bind("cursorValue", values.cursorValue);
    const id = bind("cursorId", values.cursorId);
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
  return selectProjects(db)
    .where(and(...where))
    .orderBy(...order)
    .limit(bind("limit", values.limit));
}

const prepare = (db: Parameters<typeof selectProjects>[0], input: ListInput, values: ListValues, shape: string) =>
  listQuery(db, input, values, bindPlaceholder).prepare(`project_list_${shape}`);

// At most 5 sorts x 2^5 filter combinations per database handle, each prepared once.
const statements = new StatementCache<ReturnType<typeof prepare>>();

export const list = authedProcedure
  .meta({ openapi: { method: "GET", path: "/projects", tags: ["projects"], summary: "List projects (keyset pagination)" } })
  .input(listProjectsInput)
  .output(projectListSchema)
  .query(async ({ ctx, input }) => {
    const spec = sortSpecs[input.sort];
    const position: ListPosition | undefined = input.cursor ? decodeCursor(input.sort, input.cursor) : undefined;
    const values: ListValues = {
      status: input.status,
      ownerId: input.ownerId,
      pattern: input.q ? likePattern(input.q) : undefined,
      cursorValue: position?.value,
      cursorId: position?.id,
      limit: input.limit + 1,
    };
    const shape = [
      input.sort,
      input.includeArchived ? "all" : "live",
      ...(["status", "ownerId", "pattern", "cursorValue"] as const).map((k) => (values[k] === undefined ? "0" : "1")),
    ].join("_");
    const prepared = statements.get(ctx.db, shape, () => prepare(ctx.db, input, values, shape));
    const rows = prepared
      ? await prepared.execute(values)
      : await listQuery(ctx.db, input, values, bindValue<ListValues>());
    const items = rows.slice(0, input.limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > input.limit && last ? encodeCursor(input.sort, { value: spec.key(last), id: last.id }) : null;
    return { items, nextCursor };
  });
