import { type Db, type JobRow, jobs } from "@trellis/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { JobCommandError } from "./errors.js";

export interface EnqueueOptions {
  kind: string;
  /** Small JSON: stored on the row and given to the handler. */
  input: unknown;
  createdBy?: string | null;
  requestId?: string | null;
  /** Defaults to the kind's `maxAttempts` (set when the job is relayed). */
  maxAttempts?: number;
}

/**
 * Writes the job's row in the caller's transaction (pass `tx`) and returns its id. Nothing reaches
 * the queue until that transaction commits: the engine's relay hands committed rows to pg-boss.
 * A rolled-back transaction leaves no job.
 */
export async function enqueueJob(tx: Db, options: EnqueueOptions): Promise<string> {
  if (options.maxAttempts !== undefined && !(Number.isInteger(options.maxAttempts) && options.maxAttempts >= 1)) {
    throw new RangeError("maxAttempts must be an integer ≥ 1");
  }
  const [row] = await tx
    .insert(jobs)
    .values({
      kind: options.kind,
      input: options.input ?? null,
      createdBy: options.createdBy ?? null,
      requestId: options.requestId ?? null,
      maxAttempts: options.maxAttempts ?? null,
    })
    .returning({ id: jobs.id });
  if (!row) throw new Error("insert into jobs returned no row");
  return row.id;
}

export async function getJob(db: Db, id: string): Promise<JobRow | undefined> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row;
}

const finished = ["succeeded", "failed", "cancelled"] as const;

/**
 * Cancels a job: one not running yet (queued, retrying) is cancelled at once; a running one is
 * asked to stop and ends `cancelled` at its handler's next checkpoint. Returns the row as left.
 * Throws JOB_NOT_FOUND, or JOB_ALREADY_FINISHED (with the state) for a finished job.
 */
export async function cancelJob(db: Db, id: string): Promise<JobRow> {
  const [waiting] = await db
    .update(jobs)
    .set({ state: "cancelled", cancelRequestedAt: sql`now()`, finishedAt: sql`now()`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, id), inArray(jobs.state, ["queued", "retrying"])))
    .returning();
  if (waiting) return waiting;
  const [running] = await db
    .update(jobs)
    .set({ cancelRequestedAt: sql`coalesce(${jobs.cancelRequestedAt}, now())`, updatedAt: sql`now()` })
    .where(and(eq(jobs.id, id), eq(jobs.state, "running")))
    .returning();
  if (running) return running;
  const row = await getJob(db, id);
  if (!row) throw new JobCommandError("JOB_NOT_FOUND", `No job ${id}`);
  if ((finished as readonly string[]).includes(row.state)) {
    throw new JobCommandError("JOB_ALREADY_FINISHED", `Job ${id} has already finished (${row.state})`, row.state);
  }
  // It moved between the two updates (e.g. queued -> running): try again.
  return cancelJob(db, id);
}

/**
 * Runs a failed (or cancelled) job again as one new attempt. Throws JOB_NOT_FOUND, or
 * JOB_NOT_RETRYABLE (with the state) for a job that is not finished unsuccessfully.
 */
export async function retryJob(db: Db, id: string): Promise<JobRow> {
  const [row] = await db
    .update(jobs)
    .set({
      state: "queued",
      generation: sql`${jobs.generation} + 1`,
      maxAttempts: sql`${jobs.attempts} + 1`,
      relayedAt: null,
      cancelRequestedAt: null,
      finishedAt: null,
      updatedAt: sql`now()`,
    })
    .where(and(eq(jobs.id, id), inArray(jobs.state, ["failed", "cancelled"])))
    .returning();
  if (row) return row;
  const current = await getJob(db, id);
  if (!current) throw new JobCommandError("JOB_NOT_FOUND", `No job ${id}`);
  throw new JobCommandError("JOB_NOT_RETRYABLE", `Job ${id} is ${current.state}; only a failed or cancelled job can be retried`, current.state);
}
