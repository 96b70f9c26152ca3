import type { JobState } from "@trellis/db";

export type JobErrorCode = "JOB_NOT_FOUND" | "JOB_ALREADY_FINISHED" | "JOB_NOT_RETRYABLE";

/** A refused job command (cancel, retry); `state` is the job's state when it was refused. */
export class JobCommandError extends Error {
  override name = "JobCommandError";
  constructor(
    readonly code: JobErrorCode,
    message: string,
    readonly state?: JobState,
  ) {
    super(message);
  }
}

/** Thrown by `checkpoint()` (and the signal's reason) once the job has been cancelled. */
export class JobCancelledError extends Error {
  override name = "JobCancelledError";
  readonly reason = "CANCELLED";
  constructor() {
    super("The job was cancelled");
  }
}

/** Throw from a handler to fail the attempt with a reason of your own (the message is shown to users). */
export class JobFailure extends Error {
  override name = "JobFailure";
  constructor(
    message: string,
    readonly reason: string,
    /** false: fail now, skipping the remaining attempts. */
    readonly retryable = true,
  ) {
    super(message);
  }
}
