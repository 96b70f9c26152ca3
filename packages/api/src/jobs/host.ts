import type { DbHandle } from "@trellis/db";
import { type JobEngine, type JobHandlers, createJobEngine, jobConnectionFor } from "@trellis/jobs";
import type { Kv } from "@trellis/kv";
import { createJobHandlers } from "./handlers.js";
import { JOB_KINDS } from "./kinds.js";

/** Engine timings; the defaults suit production, tests pass fast ones. */
export interface JobHostTuning {
  relayIntervalMs?: number;
  pollingIntervalSeconds?: number;
  heartbeatIntervalMs?: number;
  superviseIntervalSeconds?: number;
  /** Default: the configured maintenance interval (IDEMPOTENCY_SWEEP_INTERVAL_SECONDS). */
  maintenanceIntervalSeconds?: number;
}

/** A pino-style logger (Fastify's, the worker's). */
export interface JobHostLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobHostOptions {
  db: DbHandle;
  /** The Postgres database `db` is on (pg-boss opens its own pool); unused with PGlite. */
  databaseUrl: string | undefined;
  kv: Kv;
  log: JobHostLog;
  now: () => Date;
  /** How this host appears among the workers (job_workers.mode). */
  mode: "worker" | "embedded";
  concurrency: number;
  jobRetentionMs: number;
  maintenanceIntervalSeconds: number;
  /** Kinds added to Trellis's own (tests). */
  handlers?: JobHandlers;
  tuning?: JobHostTuning;
}

/**
 * A started job engine as every host runs it (apps/worker, or the server in embedded mode): all
 * job kinds' handlers, a heartbeat, and the maintenance job offered each interval (pg-boss keeps
 * one per cluster per slot).
 */
export async function startJobHost(o: JobHostOptions): Promise<JobEngine> {
  const { tuning = {} } = o;
  const engine = createJobEngine({
    db: o.db.db,
    connection: jobConnectionFor(o.db, o.databaseUrl, 4),
    handlers: {
      ...createJobHandlers({ db: o.db.db, kv: o.kv, log: o.log, now: o.now, jobRetentionMs: o.jobRetentionMs }),
      ...o.handlers,
    },
    concurrency: o.concurrency,
    log: { warn: (m, meta) => o.log.warn(meta ?? {}, m), error: (m, meta) => o.log.error(meta ?? {}, m) },
    heartbeat: { mode: o.mode, ...(tuning.heartbeatIntervalMs !== undefined && { intervalMs: tuning.heartbeatIntervalMs }) },
    ...(tuning.relayIntervalMs !== undefined && { relayIntervalMs: tuning.relayIntervalMs }),
    ...(tuning.pollingIntervalSeconds !== undefined && { pollingIntervalSeconds: tuning.pollingIntervalSeconds }),
    ...(tuning.superviseIntervalSeconds !== undefined && { superviseIntervalSeconds: tuning.superviseIntervalSeconds }),
  });
  await engine.start();
  try {
    engine.every(JOB_KINDS.maintenance, tuning.maintenanceIntervalSeconds ?? o.maintenanceIntervalSeconds);
  } catch (e) {
    await engine.stop({ graceMs: 0 });
    throw e;
  }
  return engine;
}
