import { type Db, jobItems, jobs, users } from "@trellis/db";
import { count, eq, inArray, sql } from "drizzle-orm";
import type { ImportItemDetail, ImportJobInput } from "../../routers/import/schemas.js";
import { openCsv } from "./csv.js";
import { hashKey, planColumns, readRow, type RowValues } from "./rows.js";

// Step one of an import job: the file is read once, every row becomes a job item (itemId = its line
// number). A row that cannot be read is done at once (outcome `error`, its field errors by
// column); a readable one waits with what it would set in `detail.row`, for step two (apply.ts).

/** What a pending item carries to step two (replaced by the report's detail when it is done). */
export interface PendingRow {
  line: number;
  key: string;
  values: RowValues;
  /** The `id` column: the project the row names. */
  id?: string;
}

const CHUNK = 1_000;

/**
 * Fixes a job's items once: in one transaction that locks the job row, so a restarted (or
 * duplicate) attempt finds them and adds none. Returns how many rows the file has.
 */
export async function resolveImportItems(db: Db, jobId: string, input: ImportJobInput, bytes: Uint8Array): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.select({ id: jobs.id }).from(jobs).where(eq(jobs.id, jobId)).for("update");
    const existing = await countItems(tx, jobId);
    if (existing > 0) return existing;

    const file = await openCsv(bytes);
    const plan = planColumns(file.headers, input.mapping);
    const keyLines = new Map<string, number>();
    const repeats = new Map<string, number>();
    let seq = 0;
    let chunk: { line: number; read: ReturnType<typeof readRow> }[] = [];

    const flush = async () => {
      // One query per chunk for the owners' emails (users.email is unique case-insensitively).
      const emails = [...new Set(chunk.flatMap((c) => (c.read.ok && c.read.ownerEmail ? [c.read.ownerEmail] : [])))];
      const owners = new Map(
        emails.length === 0
          ? []
          : (await tx.select({ id: users.id, email: sql<string>`lower(${users.email})` }).from(users).where(inArray(sql`lower(${users.email})`, emails))).map(
              (u) => [u.email, u.id] as const,
            ),
      );
      const rows = chunk.map(({ line, read }) => {
        const base = { jobId, seq: seq++, itemId: String(line) };
        if (!read.ok) {
          const detail: ImportItemDetail = { line, fieldErrors: read.fieldErrors, formErrors: read.formErrors };
          return { ...base, outcome: "error" as const, detail, doneAt: sql`now()` };
        }
        let key = read.key;
        if (read.hashBase !== undefined) {
          const n = repeats.get(read.hashBase) ?? 0;
          repeats.set(read.hashBase, n + 1);
          key = hashKey(read.hashBase, n);
        }
        const ownerHeader = plan.columns.owner?.header ?? "owner";
        const ownerId = read.ownerEmail === undefined ? undefined : owners.get(read.ownerEmail);
        if (read.ownerEmail !== undefined && ownerId === undefined) {
          const detail: ImportItemDetail = { line, key, fieldErrors: { [ownerHeader]: [`No user with the email ${read.ownerEmail}`] } };
          return { ...base, outcome: "error" as const, detail, doneAt: sql`now()` };
        }
        const first = keyLines.get(key);
        if (first !== undefined) {
          const detail: ImportItemDetail = { line, key, formErrors: [`Line ${first} has the same ${key.startsWith("id:") ? "id" : "external id"}; each project once per file`] };
          return { ...base, outcome: "error" as const, detail, doneAt: sql`now()` };
        }
        keyLines.set(key, line);
        const row: PendingRow = { line, key, values: ownerId === undefined ? read.values : { ...read.values, ownerId }, id: read.id };
        return { ...base, expectedVersion: read.version ?? null, outcome: null, detail: { row } };
      });
      if (rows.length > 0) await tx.insert(jobItems).values(rows);
      chunk = [];
    };

    for await (const row of file.rows) {
      chunk.push({ line: row.line, read: readRow(plan, row.cells, file.headers.length) });
      if (chunk.length >= CHUNK) await flush();
    }
    await flush();
    return seq;
  });
}

async function countItems(db: Db, jobId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(jobItems).where(eq(jobItems.jobId, jobId));
  return Number(row?.n ?? 0);
}
