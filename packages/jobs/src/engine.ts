import { createHash, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { PGlite } from "@electric-sql/pglite";
import { type Db, type JobError, type JobProgress, type JobRow, jobWorkers, jobs } from "@trellis/db";
import { and, asc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { type Job, PgBoss, fromPglite } from "pg-boss";
import { JobCancelledError, JobFailure } from "./errors.js";

export interface JobContext<Input = unknown> {
  job: JobRow;
  input: Input;
  /** Aborted when the job is cancelled, times out, or the engine stops past its grace period. */
  signal: AbortSignal;
  /** Records progress on the job's row (written at most 4 times a second; the last value always lands). */
  progress(done: number, total: number, message?: string): void;
  /** Throws JobCancelledError if the job has been cancelled (checks the row at most every 100 ms). */
  checkpoint(): Promise<void>;
}

export interface JobDefinition<Input = unknown, Result = unknown> {
  run(ctx: JobContext<Input>): Promise<Result>;
  /** Attempts in all, the first included (default 3). A job's own `maxAttempts` wins. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles (with jitter) after each when `backoff` (default 1 s, true). */
  retryDelaySeconds?: number;
  backoff?: boolean;
  /** An attempt running longer fails with reason TIMEOUT (default 900 s). */
  timeoutSeconds?: number;
  /**
   * The worker running an attempt refreshes its claim this often (pg-boss heartbeatSeconds, ≥ 10):
   * a worker that died is noticed after this long, not after the whole timeout. Off by default.
   */
  heartbeatSeconds?: number;
}

export type JobHandlers = Record<string, JobDefinition<never>>;

/** Where pg-boss keeps its tables: the same database as `db`. */
export type JobConnection = { kind: "pglite"; pglite: PGlite } | { kind: "postgres"; url: string; maxConnections?: number };

/**
 * How pg-boss reaches the database a host opened: the very PGlite instance (a second connection
 * cannot open it), or a pool of its own on the Postgres URL.
 */
export function jobConnectionFor(handle: { pglite?: PGlite }, url: string | undefined, maxConnections?: number): JobConnection {
  if (handle.pglite) return { kind: "pglite", pglite: handle.pglite };
  if (!url) throw new Error("a Postgres database needs its URL for the job engine's own connection pool");
  return maxConnections === undefined ? { kind: "postgres", url } : { kind: "postgres", url, maxConnections };
}

export interface JobLog {
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

export interface JobEngineOptions {
  db: Db;
  connection: JobConnection;
  handlers: JobHandlers;
  /** Jobs run at once per kind in this process (default 1). */
  concurrency?: number;
  log?: JobLog;
  /** How often the relay looks for committed, unrelayed jobs (default 100 ms). */
  relayIntervalMs?: number;
  /** How often an idle worker polls pg-boss (default 0.5 s, pg-boss's minimum). */
  pollingIntervalSeconds?: number;
  /** pg-boss's schema (default "pgboss"). */
  schema?: string;
  /** Seconds between cron passes (pg-boss cronMonitorIntervalSeconds / cronWorkerIntervalSeconds, 1–45; default 30 / 5). */
  cronIntervalSeconds?: number;
  /** How often pg-boss looks for expired attempts, i.e. a crashed worker's jobs (supervise + monitor interval, ≥ 1 s; default 60 s). */
  superviseIntervalSeconds?: number;
  /** Keep a `job_workers` row fresh while started (see aliveWorkers); none without this. */
  heartbeat?: { mode: "worker" | "embedded"; intervalMs?: number };
}

export interface JobEngine {
  start(): Promise<void>;
  /** Stops taking jobs; running ones get `graceMs` (default 10 s) to finish, then their signal aborts. */
  stop(options?: { graceMs?: number }): Promise<void>;
  /** Runs the relay once now; resolves to how many jobs it handed over. */
  relay(): Promise<number>;
  /** Runs `kind` on a cron expression, once per cluster (pg-boss schedules; one job per minute at most). */
  schedule(kind: string, cron: string, input?: Record<string, unknown>): Promise<void>;
  unschedule(kind: string): Promise<void>;
  /**
   * Runs `kind` once per `seconds`-long slot across the cluster (whole seconds, ≥ 1): every engine
   * that calls this offers a job each half slot, and pg-boss keeps one per slot (singletonKey +
   * singletonSeconds, a unique index on the slot). Until stop(); call after start().
   */
  every(kind: string, seconds: number, input?: Record<string, unknown>): void;
  /** This engine's `job_workers` id (with the heartbeat option). */
  readonly workerId: string;
  /** pg-boss's schema. */
  readonly schema: string;
  /** The pg-boss instance (for inspection in tests and operations). */
  readonly boss: PgBoss;
}

const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_HEARTBEAT_MS = 5_000;
const PROGRESS_INTERVAL_MS = 250;
const CHECKPOINT_INTERVAL_MS = 100;
const RELAY_BATCH = 200;

/** What pg-boss carries: the row's id and generation (absent for a cron occurrence, which has no row yet). */
interface BossData {
  jobId?: string;
  generation?: number;
  input?: unknown;
}

/** The pg-boss job id of a row's generation: the row id itself, then a stable uuid derived from both. */
export function bossJobId(id: string, generation: number): string {
  if (generation === 0) return id;
  const h = createHash("sha256").update(`${id}:${generation}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const noLog: JobLog = { warn() {}, error() {} };

export function createJobEngine(options: JobEngineOptions): JobEngine {
  const { db, handlers } = options;
  const log = options.log ?? noLog;
  const kinds = Object.keys(handlers);
  const concurrency = options.concurrency ?? 1;
  const relayIntervalMs = options.relayIntervalMs ?? 100;
  const cron = options.cronIntervalSeconds;
  const supervise = options.superviseIntervalSeconds === undefined ? {} : { superviseIntervalSeconds: options.superviseIntervalSeconds, monitorIntervalSeconds: options.superviseIntervalSeconds };
  const boss =
    options.connection.kind === "pglite"
      ? new PgBoss({ db: fromPglite(options.connection.pglite), backend: "pglite", schema: options.schema ?? "pgboss", ...cronOptions(cron), ...supervise })
      : new PgBoss({
          connectionString: options.connection.url,
          max: options.connection.maxConnections ?? 10,
          schema: options.schema ?? "pgboss",
          ...cronOptions(cron),
          ...supervise,
        });
  boss.on("error", (err: Error) => log.error("pg-boss error", { error: err.message }));

  // One pg-boss worker per concurrency slot (not localConcurrency): each knows its own id, so it can
  // ask for an immediate next fetch after a job (see start()).
  const workerIds = new Map<string, string[]>();
  const running = new Set<AbortController>();
  const timers = new Set<NodeJS.Timeout>();
  const workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let relayTimer: NodeJS.Timeout | undefined;
  let relaying: Promise<number> | undefined;
  let stopped = true;

  const def = (kind: string) => {
    const d = handlers[kind];
    if (!d) throw new Error(`no handler for job kind ${kind}`);
    return d;
  };

  async function relayOnce(): Promise<number> {
    // No transaction around the send: on PGlite pg-boss shares the one connection, and sending
    // from inside a transaction would wait on itself. Safe without one: the pg-boss insert is
    // keyed by the job id (ON CONFLICT DO NOTHING), so a second relay, or this one again after a
    // crash between send and mark, hands nothing over twice.
    const rows = await db
      .select({ id: jobs.id, kind: jobs.kind, generation: jobs.generation, attempts: jobs.attempts, maxAttempts: jobs.maxAttempts })
      .from(jobs)
      .where(and(isNull(jobs.relayedAt), eq(jobs.state, "queued"), inArray(jobs.kind, kinds)))
      .orderBy(asc(jobs.createdAt))
      .limit(RELAY_BATCH);
    if (rows.length === 0) return 0;
    for (const kind of new Set(rows.map((r) => r.kind))) {
      const d = def(kind);
      const batch = rows.filter((r) => r.kind === kind);
      const fallback = d.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
      await boss.insert(
        kind,
        batch.map((r) => ({
          id: bossJobId(r.id, r.generation),
          data: { jobId: r.id, generation: r.generation } satisfies BossData,
          retryLimit: Math.max(0, (r.maxAttempts ?? fallback) - r.attempts - 1),
        })),
      );
      await db
        .update(jobs)
        .set({ relayedAt: sql`now()`, maxAttempts: sql`coalesce(${jobs.maxAttempts}, ${fallback})` })
        .where(and(inArray(jobs.id, batch.map((r) => r.id)), isNull(jobs.relayedAt)));
      for (const id of workerIds.get(kind) ?? []) boss.notifyWorker(id);
    }
    return rows.length;
  }

  function relay(): Promise<number> {
    relaying ??= relayOnce().finally(() => {
      relaying = undefined;
    });
    return relaying;
  }

  function scheduleRelay() {
    if (stopped) return;
    relayTimer = setTimeout(() => {
      relay()
        .catch((err: unknown) => log.error("job relay failed", { error: String(err) }))
        .finally(scheduleRelay);
    }, relayIntervalMs);
  }

  /** Takes the row for this attempt; undefined when it is finished or cancelled (nothing to run). */
  async function claim(kind: string, bossJob: Job<BossData>): Promise<JobRow | undefined> {
    const jobId = bossJob.data.jobId ?? bossJob.id;
    const generation = bossJob.data.generation ?? 0;
    if (bossJob.data.jobId === undefined) {
      // A cron occurrence: its row is created by the first attempt that runs it.
      await db
        .insert(jobs)
        .values({ id: jobId, kind, input: bossJob.data.input ?? null, maxAttempts: def(kind).maxAttempts ?? DEFAULT_MAX_ATTEMPTS, relayedAt: sql`now()` })
        .onConflictDoNothing();
    }
    const [row] = await db
      .update(jobs)
      .set({ state: "running", attempts: sql`${jobs.attempts} + 1`, startedAt: sql`coalesce(${jobs.startedAt}, now())`, updatedAt: sql`now()` })
      .where(
        and(eq(jobs.id, jobId), eq(jobs.generation, generation), inArray(jobs.state, ["queued", "retrying", "running"]), isNull(jobs.cancelRequestedAt)),
      )
      .returning();
    if (row) return row;
    // Cancelled while running by an attempt that then died: finish the cancel.
    await db
      .update(jobs)
      .set({ state: "cancelled", finishedAt: sql`now()`, updatedAt: sql`now()` })
      .where(and(eq(jobs.id, jobId), eq(jobs.state, "running"), isNotNull(jobs.cancelRequestedAt)));
    return undefined;
  }

  async function runAttempt(kind: string, bossJob: Job<BossData>): Promise<unknown> {
    const d = def(kind);
    const row = await claim(kind, bossJob);
    if (!row) return null;
    const attempt = row.attempts;
    const thisAttempt = and(eq(jobs.id, row.id), eq(jobs.attempts, attempt), eq(jobs.state, "running"));
    const ac = new AbortController();
    running.add(ac);
    const onBossAbort = () => ac.abort(new JobFailure(`The attempt was stopped by the queue (timeout after ${d.timeoutSeconds ?? 900} s or lost claim)`, "TIMEOUT"));
    bossJob.signal.addEventListener("abort", onBossAbort, { once: true });
    const timeout = setTimeout(() => ac.abort(new JobFailure(`The attempt timed out after ${d.timeoutSeconds ?? 900} s`, "TIMEOUT")), (d.timeoutSeconds ?? 900) * 1000);

    let latest: JobProgress | undefined = row.progress ?? undefined;
    let written: JobProgress | undefined = latest;
    let lastWrite = 0;
    let progressTimer: NodeJS.Timeout | undefined;
    let progressWrite: Promise<void> = Promise.resolve();
    const writeProgress = () => {
      progressTimer = undefined;
      if (latest === written) return;
      const value = latest;
      written = value;
      lastWrite = Date.now();
      progressWrite = progressWrite
        .then(async () => {
          const [r] = await db.update(jobs).set({ progress: value, updatedAt: sql`now()` }).where(thisAttempt).returning({ cancel: jobs.cancelRequestedAt });
          if (r?.cancel) ac.abort(new JobCancelledError());
        })
        .catch((err: unknown) => log.warn("job progress write failed", { jobId: row.id, error: String(err) }));
    };
    let lastCheck = 0;
    const ctx: JobContext<unknown> = {
      job: row,
      input: row.input,
      signal: ac.signal,
      progress(done, total, message) {
        latest = message === undefined ? { done, total } : { done, total, message };
        if (progressTimer) return;
        const wait = lastWrite + PROGRESS_INTERVAL_MS - Date.now();
        if (wait <= 0) writeProgress();
        else progressTimer = setTimeout(writeProgress, wait);
      },
      async checkpoint() {
        if (!ac.signal.aborted && Date.now() - lastCheck >= CHECKPOINT_INTERVAL_MS) {
          lastCheck = Date.now();
          const [r] = await db.select({ cancel: jobs.cancelRequestedAt }).from(jobs).where(eq(jobs.id, row.id));
          if (!r || r.cancel) ac.abort(new JobCancelledError());
        }
        if (ac.signal.aborted) throw ac.signal.reason;
      },
    };
    const aborted = new Promise<never>((_, reject) => ac.signal.addEventListener("abort", () => reject(ac.signal.reason as Error), { once: true }));
    aborted.catch(() => {});
    const flushProgress = async () => {
      if (progressTimer) clearTimeout(progressTimer);
      progressTimer = undefined;
      await progressWrite;
      return latest;
    };
    try {
      const result = await Promise.race([(d.run as JobDefinition["run"])(ctx), aborted]);
      const progress = await flushProgress();
      await db
        .update(jobs)
        .set({ state: "succeeded", result: result ?? null, error: null, progress, finishedAt: sql`now()`, updatedAt: sql`now()` })
        .where(thisAttempt);
      return null;
    } catch (err) {
      const progress = await flushProgress();
      if (err instanceof JobCancelledError) {
        await db.update(jobs).set({ state: "cancelled", progress, finishedAt: sql`now()`, updatedAt: sql`now()` }).where(thisAttempt);
        return null;
      }
      const error: JobError =
        err instanceof JobFailure
          ? { message: err.message, reason: err.reason }
          : { message: err instanceof Error ? err.message : String(err), reason: "HANDLER_ERROR" };
      const last = attempt >= (row.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) || (err instanceof JobFailure && !err.retryable);
      await db
        .update(jobs)
        .set({ state: last ? "failed" : "retrying", error, progress, updatedAt: sql`now()`, ...(last && { finishedAt: sql`now()` }) })
        .where(thisAttempt);
      if (last && attempt < (row.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
        // Not retryable: settle the pg-boss job so it does not try again.
        return null;
      }
      // pg-boss records the failure and schedules the retry (or fails the job for good).
      throw new Error(error.message, { cause: err });
    } finally {
      clearTimeout(timeout);
      bossJob.signal.removeEventListener("abort", onBossAbort);
      running.delete(ac);
    }
  }

  let beating: Promise<void> | undefined;
  /** Upserts this engine's job_workers row, then again every interval until stop(). */
  async function beat(first = false): Promise<void> {
    const hb = options.heartbeat;
    if (!hb || stopped) return;
    const write = db
      .insert(jobWorkers)
      .values({ id: workerId, mode: hb.mode, host: hostname(), pid: process.pid, concurrency })
      .onConflictDoUpdate({ target: jobWorkers.id, set: { lastSeenAt: sql`now()` } })
      .then(() => undefined);
    beating = first
      ? write
      : write.catch((err: unknown) => log.warn("job worker heartbeat failed", { error: String(err) }));
    await beating;
    beating = undefined;
    if (stopped) return;
    const t = setTimeout(() => {
      timers.delete(t);
      void beat();
    }, hb.intervalMs ?? DEFAULT_HEARTBEAT_MS);
    t.unref();
    timers.add(t);
  }

  return {
    boss,
    relay,
    workerId,
    schema: options.schema ?? "pgboss",
    async start() {
      await boss.start();
      stopped = false;
      for (const kind of kinds) {
        const d = def(kind);
        await boss.createQueue(kind, {
          retryLimit: (d.maxAttempts ?? DEFAULT_MAX_ATTEMPTS) - 1,
          retryDelay: d.retryDelaySeconds ?? 1,
          retryBackoff: d.backoff ?? true,
          // pg-boss's own bound, a little past ours so the handler records TIMEOUT itself; it is also
          // the lease after which a crashed worker's job is picked up again.
          expireInSeconds: (d.timeoutSeconds ?? 900) + 1,
          ...(d.heartbeatSeconds !== undefined && { heartbeatSeconds: d.heartbeatSeconds }),
        });
        // pg-boss waits a polling interval after every fetch, even one that found a job: that capped
        // a worker at ~2 jobs/s per slot. Notifying the worker when its job ends skips that wait, so a
        // backlog is worked back to back and only an empty fetch waits.
        const ids: string[] = [];
        for (let i = 0; i < concurrency; i++) {
          const self = { id: "" }; // known once work() returns, before any job reaches the callback
          self.id = await boss.work<BossData>(kind, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 }, async ([job]) => {
            if (!job) return null;
            try {
              return await runAttempt(kind, job);
            } finally {
              if (self.id && !stopped) boss.notifyWorker(self.id);
            }
          });
          ids.push(self.id);
        }
        workerIds.set(kind, ids);
      }
      if (options.heartbeat) await beat(true);
      scheduleRelay();
    },
    async stop({ graceMs = 10_000 } = {}) {
      stopped = true;
      clearTimeout(relayTimer);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await relaying?.catch(() => {});
      const abortLater = setTimeout(() => {
        for (const ac of running) ac.abort(new JobFailure("The worker stopped before the attempt finished", "INTERRUPTED"));
      }, graceMs);
      try {
        await boss.stop({ graceful: true, timeout: graceMs + 2_000, close: true });
      } finally {
        clearTimeout(abortLater);
        await beating;
        if (options.heartbeat) {
          await db
            .delete(jobWorkers)
            .where(eq(jobWorkers.id, workerId))
            .catch((err: unknown) => log.warn("job worker heartbeat delete failed", { error: String(err) }));
        }
      }
    },
    every(kind, seconds, input) {
      def(kind);
      if (!Number.isInteger(seconds) || seconds < 1) throw new RangeError("every(): seconds must be a whole number ≥ 1 (pg-boss slots are whole seconds)");
      if (stopped) throw new Error("every(): start the engine first");
      const data = { input: input ?? null } satisfies BossData;
      // Half a slot apart, so timer drift or clock skew never leaves a slot without an offer; the
      // second offer in a slot is refused by pg-boss (null id), as are other engines' offers.
      const periodMs = (seconds * 1000) / 2;
      const offer = () => {
        if (stopped) return;
        boss
          .sendThrottled(kind, data, {}, seconds, `every:${kind}`)
          .then((id) => {
            if (id) for (const w of workerIds.get(kind) ?? []) boss.notifyWorker(w);
          })
          .catch((err: unknown) => {
            if (!stopped) log.error("recurring job offer failed", { kind, error: String(err) });
          });
        const t = setTimeout(() => {
          timers.delete(t);
          offer();
        }, periodMs);
        timers.add(t);
      };
      offer();
    },
    async schedule(kind, expression, input) {
      def(kind);
      await boss.schedule(kind, expression, { input: input ?? null } satisfies BossData);
    },
    async unschedule(kind) {
      await boss.unschedule(kind);
    },
  };
}

function cronOptions(seconds: number | undefined) {
  return seconds === undefined ? {} : { cronMonitorIntervalSeconds: seconds, cronWorkerIntervalSeconds: seconds };
}
