import { type JobRow } from "@trellis/db";
import { enqueueJob, getJob } from "@trellis/jobs";
import { JOB_KINDS } from "../../jobs/kinds.js";
import { type ImportJobInput, type ImportMapping, suggestMapping } from "../../routers/import/schemas.js";
import { actingUserId, type DomainContext } from "../context.js";
import { openCsv } from "./csv.js";
import { planColumns } from "./rows.js";
import { findUpload } from "./upload.js";

/**
 * Starts a dry run or an apply of an upload as a `project.import` job, in the caller's transaction
 * (a keyed request's: a replay answers the same job). The mapping is the suggested one with the
 * caller's entries over it, checked against the file's headers now: a wrong mapping is a 400 here,
 * not a failed job. The job stores it whole, so an apply after a dry run reads the file the same way.
 */
export async function startImport(
  ctx: DomainContext,
  input: { uploadId: string; mapping?: ImportMapping; mode: ImportJobInput["mode"]; overwriteChanged?: boolean },
): Promise<JobRow> {
  const upload = await findUpload(ctx.db, ctx, input.uploadId);
  const { headers } = await openCsv(upload.bytes);
  const mapping = { ...suggestMapping(headers).mapping, ...input.mapping };
  planColumns(headers, mapping);
  const jobInput: ImportJobInput = { uploadId: upload.id, mapping, mode: input.mode, overwriteChanged: input.overwriteChanged ?? false };
  const id = await enqueueJob(ctx.db, {
    kind: JOB_KINDS.projectImport,
    input: jobInput,
    createdBy: actingUserId(ctx.actor, "import projects"),
    requestId: ctx.requestId,
  });
  const row = await getJob(ctx.db, id);
  if (!row) throw new Error(`job ${id} not found in the transaction that created it`);
  return row;
}
