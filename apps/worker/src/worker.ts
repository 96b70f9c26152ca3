import { hostname } from "node:os";
import { startJobHost } from "@trellis/api";
import type { WorkerConfig } from "@trellis/config";
import { createDb, dbTargetFromConfig } from "@trellis/db";
import type { JobEngine, JobHandlers } from "@trellis/jobs";
import { createKv } from "@trellis/kv";
import { type WorkerLog, createWorkerLog } from "./log.js";

export const EMBEDDED_REFUSED =
  "The worker needs Postgres (DATABASE_URL): an embedded PGlite database belongs to the one server process that opened it, and in embedded mode that server runs the jobs itself (JOBS_IN_PROCESS=auto).";

export interface RunningWorker {
  engine: JobEngine;
  log: WorkerLog;
  /** Stops taking jobs, gives running ones the grace, closes the stores. Idempotent. */
  stop(reason: string): Promise<void>;
}

/**
 * Starts a worker: migrates (under the migrator's advisory lock, so a worker and servers starting
 * together are safe, and a worker started first does not wait for a server), opens kv, and works
 * every job kind with WORKER_CONCURRENCY, heartbeating as a "worker" and offering the maintenance
 * job each interval (pg-boss keeps one per cluster per slot). `handlers` adds kinds (tests).
 */
export async function startWorker(config: WorkerConfig, opts: { handlers?: JobHandlers } = {}): Promise<RunningWorker> {
  const log = createWorkerLog(config.logLevel, { name: "trellis-worker", pid: process.pid, hostname: hostname() });
  if (!config.databaseUrl) throw new Error(EMBEDDED_REFUSED);
  const db = await createDb(dbTargetFromConfig(config));
  const kv = createKv({ redisUrl: config.redisUrl });
  let engine: JobEngine | undefined;
  try {
    await db.migrate();
    engine = await startJobHost({
      db,
      databaseUrl: config.databaseUrl,
      kv,
      log,
      now: () => new Date(),
      mode: "worker",
      concurrency: config.jobs.concurrency,
      jobRetentionMs: config.jobs.retentionMs,
      maintenanceIntervalSeconds: config.idempotency.sweepIntervalMs / 1000,
      ...(opts.handlers && { handlers: opts.handlers }),
    });
  } catch (e) {
    await engine?.stop({ graceMs: 0 }).catch(() => {});
    await kv.close();
    await db.close();
    throw e;
  }
  const started = engine;
  log.info({ workerId: started.workerId, concurrency: config.jobs.concurrency, maintenanceEverySeconds: config.idempotency.sweepIntervalMs / 1000 }, "worker started");
  let stopping: Promise<void> | undefined;
  return {
    engine: started,
    log,
    stop(reason) {
      stopping ??= (async () => {
        log.info({ reason, graceMs: config.jobs.shutdownGraceMs }, "worker stopping: no new jobs, running ones get the grace");
        await started.stop({ graceMs: config.jobs.shutdownGraceMs });
        await kv.close();
        await db.close();
        log.info({}, "worker stopped");
      })();
      return stopping;
    },
  };
}

/** The process around startWorker: SIGTERM/SIGINT stop it gracefully and exit 0 (1 if stopping failed). */
export async function runWorkerProcess(config: WorkerConfig, opts: { handlers?: JobHandlers } = {}): Promise<void> {
  const worker = await startWorker(config, opts);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      worker.stop(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          worker.log.error({ err }, "worker shutdown failed");
          process.exit(1);
        },
      );
    });
  }
}
