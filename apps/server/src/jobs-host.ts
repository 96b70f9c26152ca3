import { JOB_KINDS, createJobHandlers } from "@trellis/api";
import type { Config } from "@trellis/config";
import type { DbHandle } from "@trellis/db";
import { type JobEngine, createJobEngine, jobConnectionFor } from "@trellis/jobs";
import type { Kv } from "@trellis/kv";
import type { FastifyBaseLogger } from "fastify";

/** Engine timings; the defaults suit production, tests pass fast ones. */
export interface JobsHostTuning {
  relayIntervalMs?: number;
  pollingIntervalSeconds?: number;
  heartbeatIntervalMs?: number;
  superviseIntervalSeconds?: number;
  /** Default: IDEMPOTENCY_SWEEP_INTERVAL_SECONDS (the maintenance job's interval). */
  maintenanceIntervalSeconds?: number;
}

export interface JobsHostOptions {
  db: DbHandle;
  /** The Postgres database `db` is on (pg-boss opens its own pool); unused with PGlite. */
  databaseUrl: string | undefined;
  kv: Kv;
  log: FastifyBaseLogger;
  now: () => Date;
  config: Pick<Config, "jobs" | "idempotency">;
  tuning?: JobsHostTuning;
}

/**
 * The server's in-process worker (embedded mode, or JOBS_IN_PROCESS=true): every job kind's
 * handler, a heartbeat as an "embedded" worker, and the maintenance job once per cluster per interval.
 */
export async function startJobsHost(o: JobsHostOptions): Promise<JobEngine> {
  const { config, tuning = {} } = o;
  const engine = createJobEngine({
    db: o.db.db,
    connection: jobConnectionFor(o.db, o.databaseUrl, 4),
    handlers: createJobHandlers({ db: o.db.db, kv: o.kv, log: o.log, now: o.now, jobRetentionMs: config.jobs.retentionMs }),
    concurrency: config.jobs.concurrency,
    log: { warn: (m, meta) => o.log.warn(meta ?? {}, m), error: (m, meta) => o.log.error(meta ?? {}, m) },
    heartbeat: { mode: "embedded", ...(tuning.heartbeatIntervalMs !== undefined && { intervalMs: tuning.heartbeatIntervalMs }) },
    ...(tuning.relayIntervalMs !== undefined && { relayIntervalMs: tuning.relayIntervalMs }),
    ...(tuning.pollingIntervalSeconds !== undefined && { pollingIntervalSeconds: tuning.pollingIntervalSeconds }),
    ...(tuning.superviseIntervalSeconds !== undefined && { superviseIntervalSeconds: tuning.superviseIntervalSeconds }),
  });
  await engine.start();
  try {
    engine.every(JOB_KINDS.maintenance, tuning.maintenanceIntervalSeconds ?? config.idempotency.sweepIntervalMs / 1000);
  } catch (e) {
    await engine.stop({ graceMs: 0 });
    throw e;
  }
  return engine;
}
