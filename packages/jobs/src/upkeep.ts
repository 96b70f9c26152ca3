import { type Db, type JobError, jobWorkers, jobs } from "@trellis/db";
import { and, asc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { bossJobId } from "./engine.js";

const finishedStates = ["succeeded", "failed", "cancelled"] as const;
/** pg-boss states in which a job will still be worked (or is being worked). */
const liveBossStates = ["created", "retry", "active"];

/** postgres.js returns the rows, PGlite `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

function schemaOf(engineOrSchema: { schema: string } | string | undefined): string {
  const schema = typeof engineOrSchema === "string" ? engineOrSchema : (engineOrSchema?.schema ?? "pgboss");
  // Interpolated as an identifier below: only plain names.
  if (!/^[a-z_][a-z0-9_]*$/i.test(schema)) throw new RangeError(`not a plain schema name: ${schema}`);
  return schema;
}

export const INTERRUPTED: JobError = {
  reason: "INTERRUPTED",
  message: "The worker running this job stopped (crashed or was killed) during its last attempt; no attempts are left. Retry it to run it again.",
};

/**
 * Ends `failed` (reason INTERRUPTED) every row still `running` or `retrying` whose pg-boss job will
 * never run again: finished, failed or gone. That happens when a worker dies during the last
 * attempt: pg-boss expires the attempt and fails the job without calling us. Safe at any time: the
 * engine writes a row's outcome before it settles the pg-boss job, so a live attempt's pg-boss job
 * is still active. Returns how many rows it ended. `engineOrSchema`: the engine (or pg-boss's
 * schema name; default "pgboss").
 */
export async function reconcileStuckJobs(db: Db, engineOrSchema?: { schema: string } | string, batchSize = 500): Promise<number> {
  const schema = schemaOf(engineOrSchema);
  let total = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const rows = await db
      .select({ id: jobs.id, generation: jobs.generation, state: jobs.state })
      .from(jobs)
      .where(and(inArray(jobs.state, ["running", "retrying"]), gt(jobs.id, after)))
      .orderBy(asc(jobs.id))
      .limit(batchSize);
    const last = rows.at(-1);
    if (!last) return total;
    after = last.id;
    const bossIds = rows.map((r) => bossJobId(r.id, r.generation));
    const live = new Set(
      rowsOf<{ id: string }>(
        await db.execute(
          sql`select id::text as id from ${sql.raw(`"${schema}".job`)} where id = any(${`{${bossIds.join(",")}}`}::uuid[]) and state::text = any(${`{${liveBossStates.join(",")}}`}::text[])`,
        ),
      ).map((r) => r.id),
    );
    for (const r of rows) {
      if (live.has(bossJobId(r.id, r.generation))) continue;
      // Compare-and-set on what we read: a row that moved on meanwhile (a retry by hand) is left alone.
      const ended = await db
        .update(jobs)
        .set({ state: "failed", error: INTERRUPTED, finishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(and(eq(jobs.id, r.id), eq(jobs.generation, r.generation), eq(jobs.state, r.state)))
        .returning({ id: jobs.id });
      total += ended.length;
    }
    if (rows.length < batchSize) return total;
  }
}

/**
 * Deletes finished jobs (succeeded, failed, cancelled; their job_items go with them) that finished
 * before `olderThan`, `batchSize` rows per statement so no one statement holds many locks.
 * Returns how many it deleted.
 */
export async function expireFinishedJobs(db: Db, olderThan: Date, batchSize = 1_000): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = db
      .select({ id: jobs.id })
      .from(jobs)
      .where(and(inArray(jobs.state, [...finishedStates]), lt(jobs.finishedAt, olderThan)))
      .limit(batchSize);
    const deleted = await db.delete(jobs).where(inArray(jobs.id, batch)).returning({ id: jobs.id });
    total += deleted.length;
    if (deleted.length < batchSize) return total;
  }
}

/** Workers (processes, or servers working in-process) whose heartbeat is at most `withinMs` old, by the database's clock. */
export async function aliveWorkers(db: Db, withinMs: number) {
  return db
    .select()
    .from(jobWorkers)
    .where(gt(jobWorkers.lastSeenAt, sql`now() - ${Math.max(0, Math.round(withinMs))}::int * interval '1 millisecond'`))
    .orderBy(asc(jobWorkers.startedAt));
}

/** Deletes the rows of workers not seen for `olderThanMs` (killed without a clean stop). Returns how many. */
export async function forgetDeadWorkers(db: Db, olderThanMs: number): Promise<number> {
  const gone = await db
    .delete(jobWorkers)
    .where(lt(jobWorkers.lastSeenAt, sql`now() - ${Math.max(0, Math.round(olderThanMs))}::int * interval '1 millisecond'`))
    .returning({ id: jobWorkers.id });
  return gone.length;
}
