import { z } from "zod";

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

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: redisUrl.optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  ADMIN_EMAIL: z.string().email().optional(),
  ADMIN_PASSWORD: z.string().min(8, "must be at least 8 characters").optional(),
  SEED_DEMO: booleanish.optional(),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(60).default(60 * 60 * 12),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(24 * 60 * 60).default(15 * 60),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WEB_DIST: z.string().min(1).optional(),
  COOKIE_SECURE: booleanish.optional(),
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(1).default(24 * 60 * 60),
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  IDEMPOTENCY_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(600),
  FAULT_INJECTION: z.enum(["kill-before-commit", "kill-after-commit"]).optional(),
  RATE_LIMIT_ENABLED: booleanish.default(true),
  RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  RATE_LIMIT_VIEWER: positiveInt(60),
  RATE_LIMIT_EDITOR: positiveInt(120),
  RATE_LIMIT_ADMIN: positiveInt(600),
  RATE_LIMIT_TOKEN: positiveInt(100),
  RATE_LIMIT_ANONYMOUS: positiveInt(60),
  RATE_LIMIT_READ_COST: positiveInt(1),
  RATE_LIMIT_WRITE_COST: positiveInt(2),
  LOGIN_FAILURES_PER_ACCOUNT: positiveInt(10),
  LOGIN_SLOWDOWN_AFTER: positiveInt(5),
  LOGIN_FAILURES_PER_IP: positiveInt(100),
  LOGIN_FAILURE_WINDOW_SECONDS: positiveInt(60 * 60),
  LOGIN_BLOCK_SECONDS: positiveInt(15 * 60),
  CORS_ORIGINS: origins.default([]),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  TRUST_PROXY: trustProxy.default(false),
  API_TOKENS_PER_USER: positiveInt(20),
  LIVE_STREAMS_PER_USER: positiveInt(10),
  LIVE_STREAMS_PER_INSTANCE: positiveInt(1000),
  MAX_CONNECTIONS: positiveInt(2048),
  CONNECTIONS_PER_IP: z.coerce.number().int().min(0).default(256),
});

export type Config = {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  /** Postgres via postgres.js when set; embedded PGlite otherwise. */
  databaseUrl: string | undefined;
  /** Redis via ioredis when set; in-memory kv otherwise. */
  redisUrl: string | undefined;
  dataDir: string;
  admin: { email: string; password: string } | undefined;
  seedDemo: boolean;
  /** Secret for signing session tokens; undefined means "generate one and keep it in DATA_DIR". */
  authSecret: string | undefined;
  sessionTtlSeconds: number;
  /** Lifetime of one access token (the JWT in the cookie or a bearer header); sessions outlive it and renew it. */
  accessTokenTtlSeconds: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  webDist: string | undefined;
  cookieSecure: boolean | undefined;
  idempotency: { ttlMs: number; waitMs: number; lockTimeoutMs: number; sweepIntervalMs: number };
  /** Test-only crash points for keyed mutations; ignored unless NODE_ENV=test. */
  faultInjection: "kill-before-commit" | "kill-after-commit" | undefined;
  /**
   * Request budgets per window: per signed-in user by role, per API token, per client IP when
   * signed out. A read costs `readCost` points, a write `writeCost`.
   */
  rateLimit: {
    enabled: boolean;
    windowSeconds: number;
    points: { viewer: number; editor: number; admin: number; token: number; anonymous: number };
    readCost: number;
    writeCost: number;
  };
  /** Failed sign-ins: slowed down, then blocked, per (email, client IP) and per client IP. */
  loginThrottle: {
    failuresPerAccount: number;
    slowdownAfter: number;
    failuresPerIp: number;
    failureWindowSeconds: number;
    blockSeconds: number;
  };
  /** Origins (besides the server's own) that may call the API from a browser. */
  corsOrigins: string[];
  /** A request not answered in this time gets 503 (live-update streams are exempt). */
  requestTimeoutMs: number;
  /** Which proxies' X-Forwarded-For to believe for the client IP (Fastify trustProxy). */
  trustProxy: boolean | number | string[];
  /** Caps on what one caller (or all of them) may hold open at once. */
  limits: {
    /** Unrevoked, unexpired API tokens one user may have. */
    apiTokensPerUser: number;
    /** Concurrent live-update (SSE) streams per user, over all their sessions and tokens. */
    liveStreamsPerUser: number;
    /** Concurrent live-update streams on one instance. */
    liveStreamsPerInstance: number;
    /** Open TCP connections on one instance (Node's server.maxConnections). */
    maxConnections: number;
    /** Open TCP connections from one socket address; 0 turns the per-address cap off (e.g. behind a proxy). */
    connectionsPerIp: number;
  };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses an environment-like record. Pure: tests pass their own record. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "unset" for optional variables, as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(["ADMIN_EMAIL and ADMIN_PASSWORD must be set together"]);
  }
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    dataDir: e.DATA_DIR,
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL, password: e.ADMIN_PASSWORD } : undefined,
    // Demo data only when nothing else was asked for: an operator who names a database, runs in
    // production or chooses the first admin gets exactly that, unless SEED_DEMO=1 says otherwise.
    seedDemo: e.SEED_DEMO ?? (e.DATABASE_URL === undefined && e.NODE_ENV !== "production" && e.ADMIN_EMAIL === undefined),
    authSecret: e.AUTH_SECRET,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
    logLevel: e.LOG_LEVEL,
    webDist: e.WEB_DIST,
    cookieSecure: e.COOKIE_SECURE,
    idempotency: {
      ttlMs: e.IDEMPOTENCY_TTL_SECONDS * 1000,
      waitMs: e.IDEMPOTENCY_WAIT_MS,
      lockTimeoutMs: e.IDEMPOTENCY_LOCK_TIMEOUT_MS,
      sweepIntervalMs: e.IDEMPOTENCY_SWEEP_INTERVAL_SECONDS * 1000,
    },
    faultInjection: e.NODE_ENV === "test" ? e.FAULT_INJECTION : undefined,
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
    loginThrottle: {
      failuresPerAccount: e.LOGIN_FAILURES_PER_ACCOUNT,
      slowdownAfter: e.LOGIN_SLOWDOWN_AFTER,
      failuresPerIp: e.LOGIN_FAILURES_PER_IP,
      failureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      blockSeconds: e.LOGIN_BLOCK_SECONDS,
    },
    corsOrigins: e.CORS_ORIGINS,
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    trustProxy: e.TRUST_PROXY,
    limits: {
      apiTokensPerUser: e.API_TOKENS_PER_USER,
      liveStreamsPerUser: e.LIVE_STREAMS_PER_USER,
      liveStreamsPerInstance: e.LIVE_STREAMS_PER_INSTANCE,
      maxConnections: e.MAX_CONNECTIONS,
      connectionsPerIp: e.CONNECTIONS_PER_IP,
    },
  };
}

/** The only reader of process.env in the workspace. */
export function loadConfig(overrides: Partial<Record<string, string>> = {}): Config {
  return parseConfig({ ...process.env, ...overrides });
}
