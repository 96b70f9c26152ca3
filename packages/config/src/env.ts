import { z } from "zod";
import { composeEnv, envGroup } from "./define.js";

// ---------------------------------------------------------------------------------------------
// Values as they arrive from the environment (strings).

/** Values that arrive as strings from the environment and mean a boolean. */
const booleanish = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off", ""])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:\/\//.test(u), "must start with postgres:// or postgresql://");

const redisUrl = z
  .string()
  .url()
  .refine((u) => /^rediss?:\/\//.test(u), "must start with redis:// or rediss://");

const httpUrl = z
  .string()
  .url()
  .refine((u) => /^https?:\/\//.test(u), "must start with http:// or https://");

/** A whole number ≥ 1 (points, seconds, counts) with a default. */
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Comma-separated origins such as `https://app.example.com,http://localhost:5173`. */
const origins = z
  .string()
  .transform((v) => v.split(",").map((o) => o.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.string().refine((o) => {
        try {
          return new URL(o).origin === o;
        } catch {
          return false;
        }
      }, "each entry must be an origin such as https://app.example.com (scheme, host and port; no path or trailing slash)"),
    ),
  );

/** `true`/`false`, a hop count, or comma-separated proxy addresses/CIDRs (Fastify's trustProxy). */
const trustProxy = z.string().transform((v): boolean | number | string[] => {
  const t = v.trim().toLowerCase();
  if (["true", "yes", "on"].includes(t)) return true;
  if (["false", "no", "off", "0"].includes(t)) return false;
  if (/^\d+$/.test(t)) return Number(t);
  return v.split(",").map((a) => a.trim()).filter(Boolean);
});

// ---------------------------------------------------------------------------------------------
// The groups: each names its variables (rule and default, written once) and builds its part of
// the config. Apps compose the groups they need (below).

/** What every process needs. */
const runtime = envGroup(
  {
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  },
  (e) => ({ nodeEnv: e.NODE_ENV, logLevel: e.LOG_LEVEL }),
);

const database = envGroup(
  {
    DATABASE_URL: postgresUrl.optional(),
    DATA_DIR: z.string().min(1).default(".data"),
  },
  (e) => ({
    /** Postgres via postgres.js when set; embedded PGlite otherwise. */
    databaseUrl: e.DATABASE_URL,
    /** Embedded PGlite's data directory (and the generated secret, the demo login). */
    dataDir: e.DATA_DIR,
  }),
);

const redis = envGroup({ REDIS_URL: redisUrl.optional() }, (e) => ({
  /** Redis via ioredis when set; in-memory kv otherwise. */
  redisUrl: e.REDIS_URL,
}));

/** Sessions and access tokens. */
const auth = envGroup(
  {
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(60 * 60 * 12),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(24 * 60 * 60).default(15 * 60),
    COOKIE_SECURE: booleanish.optional(),
  },
  (e) => ({
    /** Secret for signing session tokens; undefined means "generate one and keep it in DATA_DIR". */
    authSecret: e.AUTH_SECRET,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    /** Lifetime of one access token (the JWT in the cookie or a bearer header); sessions outlive it and renew it. */
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    /** Undefined means "secure in production". */
    cookieSecure: e.COOKIE_SECURE,
  }),
);

/** The HTTP listener and what it serves. */
const http = envGroup(
  {
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default("127.0.0.1"),
    WEB_DIST: z.string().min(1).optional(),
    CORS_ORIGINS: origins.default([]),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    TRUST_PROXY: trustProxy.default(false),
  },
  (e) => ({
    port: e.PORT,
    host: e.HOST,
    /** Directory of the built dashboard; undefined means apps/web/dist. */
    webDist: e.WEB_DIST,
    /** Origins (besides the server's own) that may call the API from a browser. */
    corsOrigins: e.CORS_ORIGINS,
    /** A request not answered in this time gets 503 (live-update streams are exempt). */
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    /** Which proxies' X-Forwarded-For to believe for the client IP (Fastify trustProxy). */
    trustProxy: e.TRUST_PROXY,
  }),
);

/** Caps on what one caller (or all of them) may hold open at once. */
const limits = envGroup(
  {
    API_TOKENS_PER_USER: positiveInt(20),
    LIVE_STREAMS_PER_USER: positiveInt(10),
    LIVE_STREAMS_PER_INSTANCE: positiveInt(1000),
    MAX_CONNECTIONS: positiveInt(2048),
    CONNECTIONS_PER_IP: z.coerce.number().int().min(0).default(256),
  },
  (e) => ({
    limits: {
      /** Unrevoked, unexpired API tokens one user may have. */
      apiTokensPerUser: e.API_TOKENS_PER_USER,
      /** Concurrent live-update (SSE) streams per user, over all their sessions and tokens. */
      liveStreamsPerUser: e.LIVE_STREAMS_PER_USER,
      /** Concurrent live-update streams on one instance. */
      liveStreamsPerInstance: e.LIVE_STREAMS_PER_INSTANCE,
      /** Open TCP connections on one instance (Node's server.maxConnections). */
      maxConnections: e.MAX_CONNECTIONS,
      /** Open TCP connections from one socket address; 0 turns the per-address cap off (e.g. behind a proxy). */
      connectionsPerIp: e.CONNECTIONS_PER_IP,
    },
  }),
);

/**
 * Request budgets per window: per signed-in user by role, per API token, per client IP when
 * signed out. A read costs `readCost` points, a write `writeCost`.
 */
const rateLimit = envGroup(
  {
    RATE_LIMIT_ENABLED: booleanish.default(true),
    RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
    RATE_LIMIT_VIEWER: positiveInt(60),
    RATE_LIMIT_EDITOR: positiveInt(120),
    RATE_LIMIT_ADMIN: positiveInt(600),
    RATE_LIMIT_TOKEN: positiveInt(100),
    RATE_LIMIT_ANONYMOUS: positiveInt(60),
    RATE_LIMIT_READ_COST: positiveInt(1),
    RATE_LIMIT_WRITE_COST: positiveInt(2),
  },
  (e) => ({
    rateLimit: {
      enabled: e.RATE_LIMIT_ENABLED,
      windowSeconds: e.RATE_LIMIT_WINDOW_SECONDS,
      points: {
        viewer: e.RATE_LIMIT_VIEWER,
        editor: e.RATE_LIMIT_EDITOR,
        admin: e.RATE_LIMIT_ADMIN,
        token: e.RATE_LIMIT_TOKEN,
        anonymous: e.RATE_LIMIT_ANONYMOUS,
      },
      readCost: e.RATE_LIMIT_READ_COST,
      writeCost: e.RATE_LIMIT_WRITE_COST,
    },
  }),
);

/** Failed sign-ins: slowed down, then blocked, per (email, client IP) and per client IP. */
const loginThrottle = envGroup(
  {
    LOGIN_FAILURES_PER_ACCOUNT: positiveInt(10),
    LOGIN_SLOWDOWN_AFTER: positiveInt(5),
    LOGIN_FAILURES_PER_IP: positiveInt(100),
    LOGIN_FAILURE_WINDOW_SECONDS: positiveInt(60 * 60),
    LOGIN_BLOCK_SECONDS: positiveInt(15 * 60),
  },
  (e) => ({
    loginThrottle: {
      failuresPerAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
      slowdownAfter: e.LOGIN_SLOWDOWN_AFTER,
      failuresPerIp: e.LOGIN_FAILURES_PER_IP,
      failureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      blockSeconds: e.LOGIN_BLOCK_SECONDS,
    },
  }),
);

/** Keyed mutations: how long outcomes replay, how duplicates wait, how often old records go. */
const idempotency = envGroup(
  {
    IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(1).default(24 * 60 * 60),
    IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
    IDEMPOTENCY_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    // The interval of the maintenance job (idempotency sweep, expiry of finished jobs, stuck-job
    // reconcile), run once per cluster; the name predates the job and is kept so deployments keep working.
    IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
  },
  (e) => ({
    idempotency: {
      ttlMs: e.IDEMPOTENCY_TTL_SECONDS * 1000,
      waitMs: e.IDEMPOTENCY_WAIT_MS,
      lockTimeoutMs: e.IDEMPOTENCY_LOCK_TIMEOUT_MS,
      sweepIntervalMs: e.IDEMPOTENCY_SWEEP_INTERVAL_SECONDS * 1000,
    },
  }),
);

/** The job engine: where it runs, how much at once, how long finished jobs are kept. */
const jobs = envGroup(
  {
    JOBS_IN_PROCESS: z.enum(["auto", "true", "false", "1", "0"], { error: "must be auto, true or false" }).default("auto"),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(2),
    JOB_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
    WORKER_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(10 * 60_000).default(10_000),
    DATABASE_URL: database.vars.DATABASE_URL,
  },
  (e) => ({
    jobs: {
      /**
       * The server works jobs itself. `auto`: only in embedded mode (no DATABASE_URL), where no
       * other process can open the database; with Postgres, run apps/worker instead (or set true).
       */
      inProcess: e.JOBS_IN_PROCESS === "auto" ? e.DATABASE_URL === undefined : ["true", "1"].includes(e.JOBS_IN_PROCESS),
      /** Jobs of each kind one process (worker, or in-process server) runs at once. */
      concurrency: e.WORKER_CONCURRENCY,
      /** Finished jobs older than this are deleted by the maintenance job. */
      retentionMs: e.JOB_RETENTION_DAYS * 86_400_000,
      /** On SIGTERM/stop: how long running jobs may go on before they are aborted (and retried elsewhere). */
      shutdownGraceMs: e.WORKER_SHUTDOWN_GRACE_MS,
    },
  }),
);

/** What the first start creates: the first admin, demo data. */
const seed = envGroup(
  {
    ADMIN_EMAIL: z.string().email().optional(),
    ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
    SEED_DEMO: booleanish.optional(),
    NODE_ENV: runtime.vars.NODE_ENV,
    DATABASE_URL: database.vars.DATABASE_URL,
  },
  (e, ctx) => {
    if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({ code: "custom", path: [], message: "ADMIN_EMAIL and ADMIN_PASSWORD must be set together" });
    }
    return {
      admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
      // Demo data only when nothing else was asked for: an operator who names a database, runs in
      // production or chooses the first admin gets exactly that, unless SEED_DEMO=1 says otherwise.
      seedDemo: e.SEED_DEMO ?? (e.DATABASE_URL === undefined && e.NODE_ENV !== "production" && e.ADMIN_EMAIL === undefined),
    };
  },
);

const faults = envGroup(
  {
    FAULT_INJECTION: z.enum(["kill-before-commit", "kill-after-commit"]).optional(),
    NODE_ENV: runtime.vars.NODE_ENV,
  },
  (e) => ({
    /** Test-only crash points for keyed mutations; ignored unless NODE_ENV=test. */
    faultInjection: e.NODE_ENV === "test" ? e.FAULT_INJECTION : undefined,
  }),
);

/** Where a command-line tool (apps/cli) finds the API, and how it signs in. */
const client = envGroup(
  {
    TRELLIS_URL: httpUrl.optional(),
    TRELLIS_TOKEN: z.string().min(1).optional(),
  },
  (e) => ({
    /** Base URL of a Trellis server, e.g. https://trellis.example.com. */
    url: e.TRELLIS_URL,
    /** An API token (created in the dashboard or with token.create), sent as a bearer token. */
    token: e.TRELLIS_TOKEN,
  }),
);

/** The pieces, for an app that composes its own schema (`composeEnv(envGroups.runtime, ...)`). */
export const envGroups = { runtime, database, redis, auth, http, limits, rateLimit, loginThrottle, idempotency, jobs, seed, faults, client };

// ---------------------------------------------------------------------------------------------
// One schema per app: each takes the groups it needs and ignores every other variable.

/** The HTTP host (apps/server): everything, including embedded mode's worker. */
export const serverEnv = composeEnv(runtime, database, redis, auth, http, limits, rateLimit, loginThrottle, idempotency, jobs, seed, faults);
/** A job worker (apps/worker): the stores, the job settings and the maintenance interval; no HTTP, no sign-in. */
export const workerEnv = composeEnv(runtime, database, redis, idempotency, jobs);
/** A command-line tool (apps/cli) built on @trellis/client: only where the server is. */
export const clientEnv = composeEnv(client);

/** The server's config (what `loadServerConfig()` returns). */
export type Config = z.output<typeof serverEnv>;
export type WorkerConfig = z.output<typeof workerEnv>;
export type ClientConfig = z.output<typeof clientEnv>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Parses an environment-like record with one app's schema. Pure: tests pass their own record. */
function parseEnv<S extends z.ZodType>(schema: S, env: Env): z.output<S> {
  // Empty strings mean "unset" for optional variables, as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    // Every problem names its variable; a rule over several names them in its message.
    throw new ConfigError(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message)));
  }
  return parsed.data;
}

/** The server's config from an environment-like record. Pure: tests pass their own record. */
export const parseConfig = (env: Env): Config => parseEnv(serverEnv, env);
export const parseWorkerConfig = (env: Env): WorkerConfig => parseEnv(workerEnv, env);
export const parseClientConfig = (env: Env): ClientConfig => parseEnv(clientEnv, env);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * The server config with nothing set: the one place defaults are written is the schema, and
 * code that needs a default without an environment (packages/api's `createServices()`) reads it here.
 */
export const configDefaults: Readonly<Config> = deepFreeze(parseConfig({}));

/** The only reader of process.env in the workspace: `overrides` win over it. */
function readEnv<S extends z.ZodType>(schema: S, overrides: Partial<Env>): z.output<S> {
  return parseEnv(schema, { ...process.env, ...overrides });
}

export const loadServerConfig = (overrides: Partial<Env> = {}): Config => readEnv(serverEnv, overrides);
/** The server's config (alias of loadServerConfig). */
export const loadConfig = loadServerConfig;
export const loadWorkerConfig = (overrides: Partial<Env> = {}): WorkerConfig => readEnv(workerEnv, overrides);
export const loadClientConfig = (overrides: Partial<Env> = {}): ClientConfig => readEnv(clientEnv, overrides);
