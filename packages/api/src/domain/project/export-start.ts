import type { JobRow } from "@trellis/db";
import { enqueueJob, getJob } from "@trellis/jobs";
import type { z } from "zod";
import { JOB_KINDS } from "../../jobs/kinds.js";
import type { exportProjectsInput } from "../../routers/project/export-schemas.js";
import { actingUserId, type DomainContext } from "../context.js";

/**
 * Starts a project export as a job, in the caller's transaction (a keyed request's: a replay
 * answers the same job, a rolled-back request leaves none). The rows are read when the job runs.
 */
export async function startProjectExport(ctx: DomainContext, input: z.output<typeof exportProjectsInput>): Promise<JobRow> {
  const id = await enqueueJob(ctx.db, {
    kind: JOB_KINDS.projectExport,
    input,
    createdBy: actingUserId(ctx.actor, "export projects"),
    requestId: ctx.requestId,
  });
  const row = await getJob(ctx.db, id);
  if (!row) throw new Error(`job ${id} not found in the transaction that created it`);
  return row;
}
