export { enqueueJob, cancelJob, retryJob, getJob, type EnqueueOptions } from "./outbox.js";
export {
  createJobEngine,
  jobConnectionFor,
  bossJobId,
  type JobEngine,
  type JobEngineOptions,
  type JobContext,
  type JobDefinition,
  type JobHandlers,
  type JobConnection,
  type JobLog,
} from "./engine.js";
export { reconcileStuckJobs, expireFinishedJobs, aliveWorkers, forgetDeadWorkers, INTERRUPTED } from "./upkeep.js";
export { JobCommandError, JobCancelledError, JobFailure, type JobErrorCode } from "./errors.js";
export { jobs, jobWorkers, jobStates, type JobWorkerRow, type JobRow, type JobState, type JobProgress, type JobError } from "@trellis/db";
