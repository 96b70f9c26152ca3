import type { RouterOutputs } from "@trellis/api";
import type { TrellisClient } from "./client.js";

/** A job as the server shows it (job.byId, job.progress, and what project.bulk answers). */
export type Job = RouterOutputs["job"]["byId"];

export interface WaitForJobOptions {
  /** Called with the job each time its state, progress or attempts change (once per change). */
  onProgress?: (job: Job) => void;
  /** Stops waiting: the promise rejects with the signal's reason. The job itself goes on (cancel it with job.cancel). */
  signal?: AbortSignal;
  /** How often the polling fallback reads the job (default 1,000 ms). */
  pollMs?: number;
}

const finished = new Set<Job["state"]>(["succeeded", "failed", "cancelled"]);
/** Whether a job has reached its final state: succeeded, failed or cancelled. */
export const isJobFinished = (job: Pick<Job, "state">): boolean => finished.has(job.state);

/** What onProgress is told about: a view that shows nothing new is not reported twice. */
const shownBy = (job: Job) => JSON.stringify([job.state, job.progress, job.attempts, job.cancelRequested]);

function abortError(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException("The wait for the job was aborted", "AbortError");
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits for a job to finish and resolves with its final view — also when it failed or was
 * cancelled (look at `state` and `error`); it rejects only if the wait is aborted or the job cannot
 * be read (JOB_NOT_FOUND, signed out). Progress arrives over the `job.progress` subscription
 * (SSE, which resumes by itself after a dropped connection); if the stream fails or ends early,
 * it falls back to polling `job.byId`.
 */
export async function waitForJob(client: TrellisClient, id: string, opts: WaitForJobOptions = {}): Promise<Job> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw abortError(signal);
  let shown: string | undefined;
  const report = (job: Job) => {
    const now = shownBy(job);
    if (now === shown) return;
    shown = now;
    onProgress?.(job);
  };

  // The stream: resolves with the final job, or with undefined when polling must take over.
  const streamed = await new Promise<Job | undefined>((resolve, reject) => {
    let last: Job | undefined;
    const onAbort = () => {
      sub.unsubscribe();
      reject(abortError(signal));
    };
    const done = (job: Job | undefined) => {
      signal?.removeEventListener("abort", onAbort);
      sub.unsubscribe();
      resolve(job);
    };
    const sub = client.job.progress.subscribe(
      { id },
      {
        onData: ({ data }) => {
          last = data;
          report(data);
          if (isJobFinished(data)) done(data);
        },
        // Ended without a final state (a resume after the final event sends nothing) or refused:
        // polling says where the job is, or why it cannot be read.
        onComplete: () => done(last && isJobFinished(last) ? last : undefined),
        onError: () => done(undefined),
      },
    );
    signal?.addEventListener("abort", onAbort, { once: true });
  });
  if (streamed) return streamed;

  for (;;) {
    const job = await client.job.byId.query({ id }, { signal }).catch((error: unknown) => {
      // An aborted wait says so with the signal's reason, not the fetch's AbortError.
      throw signal?.aborted ? abortError(signal) : error;
    });
    report(job);
    if (isJobFinished(job)) return job;
    await sleep(opts.pollMs ?? 1_000, signal);
  }
}
