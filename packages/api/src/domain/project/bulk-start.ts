import { enqueueJob } from "@trellis/jobs";
import type { JobRow } from "@trellis/db";
import { getJob } from "@trellis/jobs";
import type { BulkProjectsInput } from "../../routers/project/bulk-schemas.js";
import { JOB_KINDS } from "../../jobs/kinds.js";
import { actingUserId, type DomainContext } from "../context.js";

/**
 * Starts a bulk change as a job, in the caller's transaction (a keyed request's: the job, the
 * idempotency record and its answer commit together, so a replay answers the same job and a
 * rolled-back request leaves none). The selection is resolved and applied by the job.
 */
export async function startBulkChange(ctx: DomainContext, input: BulkProjectsInput): Promise<JobRow> {
  const id = await enqueueJob(ctx.db, {
    kind: JOB_KINDS.projectBulk,
    input,
    createdBy: actingUserId(ctx.actor, "change projects in bulk"),
    requestId: ctx.requestId,
  });
  const row = await getJob(ctx.db, id);
  if (!row) throw new Error(`job ${id} not found in the transaction that created it`);
  return row;
}
