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
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  WEB_DIST: z.string().min(1).optional(),
  COOKIE_SECURE: booleanish.optional(),
  IDEMPOTENCY_TTL_SECONDS: z.coerce.number().int().min(1).default(24 * 60 * 60),
  IDEMPOTENCY_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  IDEMPOTENCY_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: z.coerce.number().int().min(1).default(600),
  FAULT_INJECTION: z.enum(["kill-before-commit", "kill-after-commit"]).optional(),
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
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  webDist: string | undefined;
  cookieSecure: boolean | undefined;
  idempotency: { ttlMs: number; waitMs: number; lockTimeoutMs: number; sweepIntervalMs: number };
  /** Test-only crash points for keyed mutations; ignored unless NODE_ENV=test. */
  faultInjection: "kill-before-commit" | "kill-after-commit" | undefined;
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
    seedDemo: e.SEED_DEMO ?? e.DATABASE_URL === undefined,
    authSecret: e.AUTH_SECRET,
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
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
  };
}

/** The only reader of process.env in the workspace. */
export function loadConfig(overrides: Partial<Record<string, string>> = {}): Config {
  return parseConfig({ ...process.env, ...overrides });
}
