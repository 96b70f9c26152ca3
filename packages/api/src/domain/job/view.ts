import { type Db, type JobRow, jobs, users } from "@trellis/db";
import { eq } from "drizzle-orm";
import { DomainError } from "../../errors.js";
import type { JobView } from "../../routers/job/schemas.js";
import type { Actor, DomainContext } from "../context.js";

/** What reading jobs needs of a domain context: who asks, and the database. */
export type JobReader = Pick<DomainContext, "db" | "actor">;

/** A job row with its creator's name: the one query every job read goes through. */
export function selectJobRows(db: Db) {
  return db
    .select({ job: jobs, createdByName: users.name })
    .from(jobs)
    .leftJoin(users, eq(users.id, jobs.createdBy));
}

/** A job's input for display: a list of ids becomes its length, so a job view stays small. */
function inputSummary(input: unknown): unknown {
  if (typeof input !== "object" || input === null || !("selection" in input)) return input ?? null;
  const { selection } = input;
  if (typeof selection === "object" && selection !== null && "ids" in selection && Array.isArray(selection.ids)) {
    return { ...input, selection: { ids: selection.ids.length } };
  }
  return input;
}

/**
 * What users see of a job. The error is its message and reason only (the engine stores nothing
 * more, but the view names its fields so nothing added to the row later leaks by default).
 */
export function toJobView(job: JobRow, createdByName: string | null): JobView {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    progress: job.progress ?? null,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    input: inputSummary(job.input),
    result: job.result ?? null,
    error: job.error ? { message: job.error.message, reason: job.error.reason } : null,
    createdBy: job.createdBy,
    createdByName,
    requestId: job.requestId,
    cancelRequested: job.cancelRequestedAt !== null,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    updatedAt: job.updatedAt,
  };
}

export const jobNotFound = (id: string) => new DomainError("JOB_NOT_FOUND", `No job ${id}`);

/** Admins and the system see every job; a user sees the jobs they started. */
export function seesAllJobs(actor: Actor): boolean {
  return actor.kind === "system" || actor.role === "admin";
}

export function maySee(actor: Actor, job: Pick<JobRow, "createdBy">): boolean {
  return seesAllJobs(actor) || (actor.kind === "user" && job.createdBy === actor.userId);
}

/**
 * The job as `actor` may see it. Someone else's job is JOB_NOT_FOUND, exactly like an unknown id,
 * so ids cannot be probed for existence.
 */
export async function findVisibleJob(db: Db, actor: Actor, id: string): Promise<JobView> {
  const [row] = await selectJobRows(db).where(eq(jobs.id, id));
  if (!row || !maySee(actor, row.job)) throw jobNotFound(id);
  return toJobView(row.job, row.createdByName);
}
