import { type JobDefinition, expireFinishedJobs, forgetDeadWorkers, reconcileStuckJobs } from "@trellis/jobs";
import { sweepExpired } from "../idempotency/store.js";
import type { JobDeps } from "./deps.js";

export interface MaintenanceResult {
  /** Expired idempotency records deleted. */
  idempotencyRecordsSwept: number;
  /** Finished jobs (with their items) deleted, older than the retention. */
  jobsExpired: number;
  /** Jobs left running or retrying by a worker that died on their last attempt, now failed (INTERRUPTED). */
  jobsReconciled: number;
  /** job_workers rows of workers gone without a clean stop. */
  deadWorkersForgotten: number;
}

/** Heartbeat rows this stale belong to a worker that is gone (a live one writes every few seconds). */
const DEAD_WORKER_MS = 60 * 60 * 1000;

/**
 * Periodic upkeep, run once per cluster per interval by every host's engine (`engine.every`).
 * Each step is idempotent and bounded, so an overlap or a missed run does no harm: the next run
 * catches up. One attempt: a failed run is simply the next interval's to redo.
 */
export function maintenanceJob(deps: JobDeps): JobDefinition<unknown, MaintenanceResult> {
  return {
    maxAttempts: 1,
    timeoutSeconds: 300,
    async run() {
      const now = deps.now();
      const result: MaintenanceResult = {
        idempotencyRecordsSwept: await sweepExpired(deps.db, now),
        jobsExpired: await expireFinishedJobs(deps.db, new Date(now.getTime() - deps.jobRetentionMs)),
        jobsReconciled: await reconcileStuckJobs(deps.db),
        deadWorkersForgotten: await forgetDeadWorkers(deps.db, DEAD_WORKER_MS),
      };
      if (Object.values(result).some((n) => n > 0)) deps.log.info(result, "maintenance");
      return result;
    },
  };
}
