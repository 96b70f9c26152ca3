import { createHash } from "node:crypto";
import { type Db, one, type UploadRow, uploads } from "@trellis/db";
import { eq } from "drizzle-orm";
import { IMPORT_MAX_BYTES, suggestMapping, type UploadSummary } from "../../routers/import/schemas.js";
import { actingUserId, type DomainContext } from "../context.js";
import { fileError, invalidInput, openCsv } from "./csv.js";
import { seesAllJobs } from "../job/view.js";

/** Reads a whole file once (streamed): its encoding, delimiter, headers, suggested mapping and row count. */
export async function inspectCsv(bytes: Uint8Array) {
  const file = await openCsv(bytes);
  let rowCount = 0;
  for await (const _ of file.rows) rowCount++;
  if (rowCount === 0) throw fileError("The file has a header row but no data rows");
  const { mapping, unknownColumns } = suggestMapping(file.headers);
  return { encoding: file.encoding, delimiter: file.delimiter, headers: file.headers, suggestedMapping: mapping, unknownColumns, rowCount };
}

/**
 * Stores an uploaded CSV (POST /imports) once it has been read end to end, so a file that cannot
 * be imported at all (empty, duplicate headers, not text, an unclosed quote) is refused now with
 * its reason instead of failing a job later.
 */
export async function storeUpload(ctx: DomainContext, file: { filename: string; contentType: string; bytes: Uint8Array }): Promise<UploadSummary> {
  if (file.bytes.byteLength > IMPORT_MAX_BYTES) throw fileError(`The file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MB`);
  const summary = await inspectCsv(file.bytes);
  const row = one(
    await ctx.db
      .insert(uploads)
      .values({
        createdBy: actingUserId(ctx.actor, "upload a file"),
        filename: file.filename.slice(0, 255),
        contentType: file.contentType,
        sizeBytes: file.bytes.byteLength,
        sha256: createHash("sha256").update(file.bytes).digest("hex"),
        bytes: Buffer.from(file.bytes),
      })
      .returning({ id: uploads.id, createdAt: uploads.createdAt }),
    "the new upload",
  );
  return { id: row.id, filename: file.filename.slice(0, 255), sizeBytes: file.bytes.byteLength, createdAt: row.createdAt, ...summary };
}

export const uploadNotFound = (id: string) => invalidInput(`No upload ${id} (or not yours)`, ["uploadId"]);

/** An upload its creator (or an admin, or a job acting for them) may use; anyone else's is "not found". */
export async function findUpload(db: Db, ctx: Pick<DomainContext, "actor">, id: string): Promise<UploadRow> {
  const [row] = await db.select().from(uploads).where(eq(uploads.id, id)).limit(1);
  const mine = row && (seesAllJobs(ctx.actor) || row.createdBy === actingUserId(ctx.actor, "read an upload"));
  if (!row || !mine) throw uploadNotFound(id);
  return row;
}

/** What POST /imports answered, again (the dashboard's mapping step after a reload). */
export async function uploadSummary(ctx: Pick<DomainContext, "db" | "actor">, id: string): Promise<UploadSummary> {
  const row = await findUpload(ctx.db, ctx, id);
  const summary = await inspectCsv(row.bytes);
  return { id: row.id, filename: row.filename, sizeBytes: row.sizeBytes, createdAt: row.createdAt, ...summary };
}
