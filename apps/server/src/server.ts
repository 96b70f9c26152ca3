import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import cookie from "@fastify/cookie";
import { appRouter, createServices, createSessionSigner, type Services, type SessionSigner, type JobHostTuning, startJobHost } from "@trellis/api";
import type { Config } from "@trellis/config";
import { createDb, type DbHandle, dbTargetFromConfig } from "@trellis/db";
import type { JobEngine } from "@trellis/jobs";
import { createKv, type Kv } from "@trellis/kv";
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from "fastify";
import { prepareDatabase } from "./bootstrap.js";
import { registerBodyDepthLimit } from "./plugins/body-depth.js";
import { registerConnectionLimits } from "./plugins/connection-limits.js";
import { registerAuditExport } from "./plugins/audit-export.js";
import { registerDashboard } from "./plugins/dashboard.js";
import { registerErrorHandler } from "./plugins/errors.js";
import { registerHealth } from "./plugins/health.js";
import { registerJobFiles } from "./plugins/job-files.js";
import { registerRest } from "./plugins/rest.js";
import { registerSecurity } from "./plugins/security.js";
import { registerRequestTimeout } from "./plugins/timeout.js";
import { registerTrpc } from "./plugins/trpc.js";
import { registerUploads } from "./plugins/uploads.js";
import { requestIdFor } from "./request-id.js";
import { resolveAuthSecret } from "./secret.js";

export interface ServerOptions {
  config: Config;
  /** Injected by tests; otherwise opened from config, migrated and seeded. Injected handles are not closed by stop(). */
  db?: DbHandle;
  kv?: Kv;
  sessions?: SessionSigner;
  /** Clock, logger, settings and fault hooks; tests override the clock. */
  services?: Partial<Services>;
  /** Directory of the built dashboard; defaults to config.webDist, then apps/web/dist. */
  webDist?: string;
  /**
   * The in-process job engine (run when config.jobs.inProcess): its timings, and the URL of an
   * injected Postgres `db` (pg-boss opens its own pool; default config.databaseUrl).
   */
  jobs?: JobHostTuning & { databaseUrl?: string };
}

export interface TrellisServer {
  app: FastifyInstance;
  config: Config;
  db: DbHandle;
  kv: Kv;
  sessions: SessionSigner;
  /** How to sign in, when this start seeded or knows the demo/admin login. */
  signIn: string | undefined;
  /** The in-process job engine, when this instance works jobs (config.jobs.inProcess). */
  jobs: JobEngine | undefined;
  /** Listens on config.host:config.port (0 picks a free port) and returns the base URL. */
  start(): Promise<string>;
  /** Stops accepting requests, lets in-flight ones finish, then closes what it opened. */
  stop(): Promise<void>;
}

/** Crash points for the crash-recovery tests (config honours them only when NODE_ENV=test). */
function faultHooks(config: Config): Services["faults"] {
  const die = () => process.kill(process.pid, "SIGKILL");
  if (config.faultInjection === "kill-before-commit") return { beforeCommit: die };
  if (config.faultInjection === "kill-after-commit") return { afterCommit: die };
  return {};
}

/**
 * tRPC subscriptions are long-lived SSE streams, always opened with GET: the request timeout does
 * not apply to them. Any other method on a subscription path (a POST trickling its body) is timed.
 */
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
const streamPaths = new Set(
  Object.entries(procedures)
    .filter(([, p]) => p._def.type === "subscription")
    .map(([path]) => `/trpc/${path}`),
);
const isStream = (req: FastifyRequest) => req.method === "GET" && streamPaths.has(req.url.split("?", 1)[0] ?? "");

/** TRUST_PROXY=<n>: believe the last n hops of X-Forwarded-For. */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

const defaultWebDist = () => fileURLToPath(new URL("../../web/dist", import.meta.url));

export async function createServer(options: ServerOptions): Promise<TrellisServer> {
  const { config } = options;
  const app = Fastify({
    logger: { level: config.logLevel },
    genReqId: requestIdFor,
    requestIdHeader: false,
    routerOptions: { maxParamLength: 5_000 },
    bodyLimit: 1024 * 1024,
    // Client IPs (budgets of signed-out callers, sign-in throttling) from X-Forwarded-For only
    // when the request came through a proxy named here.
    trustProxy: typeof config.trustProxy === "number" ? trustHops(config.trustProxy) : config.trustProxy,
    // Node's own limits on receiving a request (408 and close): the headers, and the whole request,
    // within REQUEST_TIMEOUT_MS (Node's defaults are 60 s and 300 s); registerRequestTimeout bounds
    // the answer too. Node looks for expired connections every connectionsCheckingInterval (30 s by
    // default), so that is a fraction of the timeout here, at most 1 s.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.requestTimeoutMs, // must not exceed requestTimeout
      requestTimeout: config.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, Math.max(50, Math.floor(config.requestTimeoutMs / 4))),
    },
    // Two log lines per request cost real throughput; errors are logged where they happen.
    logController: new LogController({ disableRequestLogging: !["debug", "trace"].includes(config.logLevel) }),
  });
  registerConnectionLimits(app, { maxConnections: config.limits.maxConnections, perIp: config.limits.connectionsPerIp });
  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
  });

  const ownsDb = !options.db;
  const db = options.db ?? (await createDb(dbTargetFromConfig(config)));
  const ownsKv = !options.kv;
  const kv = options.kv ?? createKv({ redisUrl: config.redisUrl });
  let jobs: JobEngine | undefined;
  try {
    const { signIn } = ownsDb
      ? await prepareDatabase(db, config, { info: (m) => app.log.info(m), warn: (m) => app.log.warn(m) })
      : { signIn: undefined };
    // Injected signers (tests, peers) bring their own secret; fingerprints then key with
    // AUTH_SECRET when set (as on every instance of one deployment), else the process default.
    let sessions = options.sessions;
    let fingerprintSecret = config.authSecret;
    if (!sessions) {
      fingerprintSecret = resolveAuthSecret(config, (m) => app.log.warn(m));
      sessions = createSessionSigner({
        secret: fingerprintSecret,
        ttlSeconds: config.accessTokenTtlSeconds,
        sessionTtlSeconds: config.sessionTtlSeconds,
        cookieSecure: config.cookieSecure ?? config.nodeEnv === "production",
      });
    }

    registerErrorHandler(app);
    const https = config.cookieSecure ?? config.nodeEnv === "production";
    await registerSecurity(app, { corsOrigins: config.corsOrigins, https });
    registerRequestTimeout(app, { timeoutMs: config.requestTimeoutMs, exempt: isStream });
    registerBodyDepthLimit(app);
    await app.register(cookie);
    const shutdown = new AbortController();
    const services = createServices({
      log: app.log,
      shutdown: shutdown.signal,
      idempotency: config.idempotency,
      faults: faultHooks(config),
      rateLimits: config.rateLimit,
      loginThrottle: config.loginThrottle,
      limits: config.limits,
      ...(fingerprintSecret && { fingerprintSecret }),
      ...options.services,
    });
    const deps = { db: db.db, kv, sessions, services, allowedOrigins: new Set(config.corsOrigins) };
    await registerTrpc(app, deps);
    await registerRest(app, deps);
    registerAuditExport(app, deps);
    await registerUploads(app, deps);
    registerJobFiles(app, deps);
    registerHealth(app, { db, kv, jobsInProcess: config.jobs.inProcess });
    await registerDashboard(app, resolve(options.webDist ?? config.webDist ?? defaultWebDist()));

    // Started last, on the migrated database. Its maintenance job replaces the old per-instance
    // idempotency sweeper timer: once per cluster per IDEMPOTENCY_SWEEP_INTERVAL_SECONDS.
    if (config.jobs.inProcess) {
      const { databaseUrl = config.databaseUrl, ...tuning } = options.jobs ?? {};
      jobs = await startJobHost({
        db,
        databaseUrl,
        kv,
        log: app.log,
        now: services.now,
        mode: "embedded",
        concurrency: config.jobs.concurrency,
        jobRetentionMs: config.jobs.retentionMs,
        maintenanceIntervalSeconds: config.idempotency.sweepIntervalMs / 1000,
        tuning,
      });
    }
    let stopping: Promise<void> | undefined;
    return {
      app,
      config,
      db,
      kv,
      sessions,
      signIn,
      jobs,
      async start() {
        return app.listen({ port: config.port, host: config.host });
      },
      stop() {
        stopping ??= (async () => {
          // End live streams first: an open SSE response would keep close() waiting forever.
          shutdown.abort();
          await app.close();
          // Running jobs get the grace to finish (then abort and are retried), before the db closes.
          await jobs?.stop({ graceMs: config.jobs.shutdownGraceMs });
          if (ownsKv) await kv.close();
          if (ownsDb) await db.close();
        })();
        return stopping;
      },
    };
  } catch (e) {
    await jobs?.stop({ graceMs: 0 });
    if (ownsKv) await kv.close();
    if (ownsDb) await db.close();
    throw e;
  }
}
