import { type Db, jobs } from "@trellis/db";
import { cancelJob, JobCommandError, retryJob } from "@trellis/jobs";
import { eq } from "drizzle-orm";
import { DomainError } from "../../errors.js";
import type { JobView } from "../../routers/job/schemas.js";
import type { DomainContext } from "../context.js";
import { findVisibleJob, jobNotFound, selectJobRows, toJobView } from "./view.js";

/** The engine's refusals as domain errors: the state goes to the client as data.jobState. */
function refused(error: unknown): never {
  if (!(error instanceof JobCommandError)) throw error;
  if (error.code === "JOB_NOT_FOUND") throw new DomainError("JOB_NOT_FOUND", error.message);
  throw new DomainError(error.code, error.message, error.state ? { jobState: error.state } : {});
}

async function viewOf(db: Db, id: string): Promise<JobView> {
  const [row] = await selectJobRows(db).where(eq(jobs.id, id));
  if (!row) throw jobNotFound(id);
  return toJobView(row.job, row.createdByName);
}

/**
 * Cancels a job its actor may see (the owner, whatever their role now, or an admin): a queued or
 * retrying one at once, a running one at its next checkpoint (the view says cancelRequested).
 * Runs in ctx.db, the keyed request's transaction.
 */
export async function cancelJobAs(ctx: DomainContext, id: string): Promise<JobView> {
  await findVisibleJob(ctx.db, ctx.actor, id);
  await cancelJob(ctx.db, id).catch(refused);
  return viewOf(ctx.db, id);
}

/**
 * Runs a failed or cancelled job again as one new attempt. Retrying starts writes again, so beyond
 * seeing the job the actor must be allowed to write: the owner who is not (or no longer) a
 * viewer, or an admin.
 */
export async function retryJobAs(ctx: DomainContext, id: string): Promise<JobView> {
  await findVisibleJob(ctx.db, ctx.actor, id);
  if (ctx.actor.kind === "user" && ctx.actor.role === "viewer") {
    throw new DomainError("INSUFFICIENT_ROLE", "Viewers may not start writes; ask an editor to retry this job");
  }
  await retryJob(ctx.db, id).catch(refused);
  return viewOf(ctx.db, id);
}
