import type { Db, JobRow } from "@trellis/db";
import type { Kv } from "@trellis/kv";
import type { Logger } from "../context.js";
import { type DomainContext, systemActor } from "../domain/context.js";

/** What job handlers run on: the stores and a clock and a logger, nothing of HTTP. Built once per process by its host (server or worker). */
export interface JobDeps {
  db: Db;
  kv: Kv;
  log: Logger;
  now(): Date;
  /** Finished jobs (and their items) older than this are deleted by the maintenance job. */
  jobRetentionMs: number;
}

/**
 * The domain context of one run of a job: the system acting on behalf of the user who started it
 * (recorded on every audit event it causes, with the job id), correlated by the request id that
 * created the job. What it publishes goes out through kv at once: a job's use cases each commit
 * their own transaction (use inTransaction to group several).
 */
export function domainContextForJob(deps: JobDeps, job: JobRow): DomainContext {
  return {
    db: deps.db,
    kv: deps.kv,
    actor: systemActor(job.kind, job.createdBy ?? undefined),
    requestId: job.requestId ?? `job:${job.id}`,
    now: deps.now,
    log: deps.log,
    publish: (channel, message) => {
      deps.kv.publish(channel, message).catch(() => {});
    },
    jobId: job.id,
  };
}
