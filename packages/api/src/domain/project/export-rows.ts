import { type Db, projects, users } from "@trellis/db";
import { and, asc, count, desc, eq, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { neutralizeFormula } from "../../csv/formula.js";
import { budgetCell, type exportProjectsInput, joinTags } from "../../routers/project/export-schemas.js";
import type { ProjectSort } from "../../routers/project/schemas.js";
import { likePattern, projectFilterConditions } from "./filter.js";

type ExportInput = z.output<typeof exportProjectsInput>;

/** Projects per query: big enough to amortize the round trip, small enough to keep memory flat. */
export const EXPORT_PAGE_SIZE = 1_000;

// The list's sorts (routers/project/list.ts), each ending in id so the keyset is a total order.
const sortSpecs = {
  createdAt_desc: { column: projects.createdAt, dir: "desc" },
  createdAt_asc: { column: projects.createdAt, dir: "asc" },
  updatedAt_desc: { column: projects.updatedAt, dir: "desc" },
  name_asc: { column: projects.name, dir: "asc" },
  name_desc: { column: projects.name, dir: "desc" },
} as const satisfies Record<ProjectSort, unknown>;

const exportColumns = {
  id: projects.id,
  name: projects.name,
  description: projects.description,
  status: projects.status,
  ownerEmail: users.email,
  tags: projects.tags,
  budgetCents: projects.budgetCents,
  dueDate: projects.dueDate,
  version: projects.version,
};

// The sort key comes back as Postgres's own text (a timestamp to the microsecond, in the session's
// zone), which the next page's condition casts back: exact, and no Date parsing per row.
const selectExportRows = (db: Db, sort: ProjectSort) =>
  db
    .select({ ...exportColumns, sortKey: sql<string>`${sortSpecs[sort].column}::text` })
    .from(projects)
    .innerJoin(users, eq(users.id, projects.ownerId));
type ExportRow = Awaited<ReturnType<typeof selectExportRows>>[number];

const filterOf = (input: ExportInput): SQL[] =>
  projectFilterConditions(input.includeArchived, {
    status: input.status,
    ownerId: input.ownerId,
    pattern: input.q ? likePattern(input.q) : undefined,
  });

/** How many projects match now: the export's progress total (rows added meanwhile may make it more). */
export async function countExportRows(db: Db, input: ExportInput): Promise<number> {
  const [row] = await db.select({ n: count() }).from(projects).where(and(...filterOf(input)));
  return row?.n ?? 0;
}

/**
 * The matching projects in the list's order, a page per query, keyset on (sort key, id): each
 * page costs the same however far in, and only one page is in memory. Not a snapshot: a project
 * created or edited meanwhile may or may not be in the file (with a sort on a field that changes,
 * updatedAt or name, an edited project can move behind the cursor and be left out).
 */
export async function* exportRowPages(db: Db, input: ExportInput, pageSize = EXPORT_PAGE_SIZE): AsyncGenerator<ExportRow[]> {
  const spec = sortSpecs[input.sort];
  const where = filterOf(input);
  const order = spec.dir === "desc" ? [desc(spec.column), desc(projects.id)] : [asc(spec.column), asc(projects.id)];
  const page = (after: ExportRow | undefined) =>
    selectExportRows(db, input.sort)
      .where(and(...where, after && keysetCondition(input.sort, { value: after.sortKey, id: after.id })))
      .orderBy(...order)
      .limit(pageSize);
  let rows = await page(undefined);
  for (;;) {
    const last = rows.at(-1);
    // The next page is read while the caller writes this one (two pages in memory at most).
    // execute(): a promise that runs the query once (a drizzle builder runs again on every then).
    const next = rows.length === pageSize && last ? page(last).execute() : undefined;
    // Handled here, awaited below: a failure while the caller works must not be unhandled.
    next?.catch(() => {});
    if (rows.length > 0) yield rows;
    if (!next) return;
    rows = await next;
  }
}

function keysetCondition(sort: ProjectSort, after: { value: string; id: string }): SQL {
  const spec = sortSpecs[sort];
  const value = spec.column === projects.name ? sql`${after.value}` : sql`${after.value}::timestamptz`;
  return spec.dir === "desc"
    ? sql`(${spec.column}, ${projects.id}) < (${value}, ${after.id}::uuid)`
    : sql`(${spec.column}, ${projects.id}) > (${value}, ${after.id}::uuid)`;
}

/** One CSV record in EXPORT_COLUMNS order, every cell formula-neutralised. */
export function exportRecord(row: ExportRow): string[] {
  return [
    row.id,
    row.name,
    row.description,
    row.status,
    row.ownerEmail,
    joinTags(row.tags),
    budgetCell(row.budgetCents),
    row.dueDate ?? "",
    String(row.version),
  ].map(neutralizeFormula);
}
