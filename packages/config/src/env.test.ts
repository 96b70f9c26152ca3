import { describe, expect, it } from "vitest";
import { composeEnv, envGroup } from "./define.js";
import {
  ConfigError,
  configDefaults,
  envGroups,
  loadClientConfig,
  loadConfig,
  loadServerConfig,
  loadWorkerConfig,
  parseClientConfig,
  parseConfig,
  parseWorkerConfig,
} from "./env.js";

describe("parseConfig", () => {
  it("applies embedded defaults when nothing is set", () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ port: 3000, host: "127.0.0.1", dataDir: ".data", seedDemo: true });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.redisUrl).toBeUndefined();
  });

  it("does not seed demo data against a real database unless asked", () => {
    expect(parseConfig({ DATABASE_URL: "postgres://u@h/db" }).seedDemo).toBe(false);
    expect(parseConfig({ DATABASE_URL: "postgres://u@h/db", SEED_DEMO: "1" }).seedDemo).toBe(true);
  });

  it("names every bad variable", () => {
    try {
      parseConfig({ PORT: "seventy", DATABASE_URL: "mysql://x/y", REDIS_URL: "nope" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain("PORT");
      expect(msg).toContain("DATABASE_URL");
      expect(msg).toContain("REDIS_URL");
    }
  });

  it("requires admin email and password together", () => {
    expect(() => parseConfig({ ADMIN_EMAIL: "a@b.co" })).toThrow(/together/);
    expect(parseConfig({ ADMIN_EMAIL: "a@b.co", ADMIN_PASSWORD: "longenough" }).admin).toEqual({
      email: "a@b.co",
      password: "longenough",
    });
  });

  it("seeds demo data only when nothing else was asked for: embedded, not production, no first admin", () => {
    const admin = { ADMIN_EMAIL: "ops@example.com", ADMIN_PASSWORD: "longenough" };
    expect(parseConfig({ NODE_ENV: "development" }).seedDemo).toBe(true);
    expect(parseConfig({ NODE_ENV: "test" }).seedDemo).toBe(true);
    expect(parseConfig({ NODE_ENV: "production" }).seedDemo).toBe(false);
    expect(parseConfig(admin).seedDemo).toBe(false);
    expect(parseConfig({ NODE_ENV: "production", ...admin }).seedDemo).toBe(false);
    expect(parseConfig({ DATABASE_URL: "postgres://u@h/db", ...admin }).seedDemo).toBe(false);
    // SEED_DEMO decides when given, either way.
    for (const env of [{ NODE_ENV: "production" }, admin, { NODE_ENV: "production", DATABASE_URL: "postgres://u@h/db", ...admin }]) {
      expect(parseConfig({ ...env, SEED_DEMO: "1" }).seedDemo).toBe(true);
      expect(parseConfig({ ...env, SEED_DEMO: "true" }).seedDemo).toBe(true);
    }
    expect(parseConfig({ SEED_DEMO: "0" }).seedDemo).toBe(false);
    expect(parseConfig({ SEED_DEMO: "off" }).seedDemo).toBe(false);
    // Empty means unset (docker-compose's `${SEED_DEMO:-}`): the default applies.
    expect(parseConfig({ NODE_ENV: "production", ...admin, SEED_DEMO: "" }).seedDemo).toBe(false);
    expect(parseConfig({ SEED_DEMO: "" }).seedDemo).toBe(true);
    expect(() => parseConfig({ SEED_DEMO: "maybe" })).toThrow(/SEED_DEMO/);
  });

  it("treats empty strings as unset", () => {
    expect(parseConfig({ DATABASE_URL: "", PORT: "" }).port).toBe(3000);
  });
});

describe("abuse controls", () => {
  it("defaults to the documented limits", () => {
    const c = parseConfig({});
    expect(c.rateLimit).toEqual({
      enabled: true,
      windowSeconds: 60,
      points: { viewer: 60, editor: 120, admin: 600, token: 100, anonymous: 60 },
      readCost: 1,
      writeCost: 2,
    });
    expect(c.loginThrottle).toEqual({
      failuresPerAccount: 10,
      slowdownAfter: 5,
      failuresPerIp: 100,
      failureWindowSeconds: 3600,
      blockSeconds: 900,
    });
    expect(c.corsOrigins).toEqual([]);
    expect(c.requestTimeoutMs).toBe(30_000);
    expect(c.trustProxy).toBe(false);
  });

  it("reads limits, origins and proxy trust from the environment", () => {
    const c = parseConfig({
      RATE_LIMIT_ENABLED: "0",
      RATE_LIMIT_EDITOR: "20",
      RATE_LIMIT_WRITE_COST: "5",
      LOGIN_BLOCK_SECONDS: "60",
      CORS_ORIGINS: "https://app.example.com, http://localhost:5173",
      REQUEST_TIMEOUT_MS: "5000",
      TRUST_PROXY: "10.0.0.0/8,127.0.0.1",
    });
    expect(c.rateLimit).toMatchObject({ enabled: false, points: { editor: 20, viewer: 60 }, writeCost: 5 });
    expect(c.loginThrottle.blockSeconds).toBe(60);
    expect(c.corsOrigins).toEqual(["https://app.example.com", "http://localhost:5173"]);
    expect(c.requestTimeoutMs).toBe(5000);
    expect(c.trustProxy).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect(parseConfig({ TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(parseConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
  });

  it("defaults the usage limits and reads them from the environment", () => {
    expect(parseConfig({}).limits).toEqual({
      apiTokensPerUser: 20,
      liveStreamsPerUser: 10,
      liveStreamsPerInstance: 1000,
      maxConnections: 2048,
      connectionsPerIp: 256,
    });
    expect(
      parseConfig({
        API_TOKENS_PER_USER: "5",
        LIVE_STREAMS_PER_USER: "2",
        LIVE_STREAMS_PER_INSTANCE: "50",
        MAX_CONNECTIONS: "100",
        CONNECTIONS_PER_IP: "8",
      }).limits,
    ).toEqual({ apiTokensPerUser: 5, liveStreamsPerUser: 2, liveStreamsPerInstance: 50, maxConnections: 100, connectionsPerIp: 8 });
    // 0 turns the per-address cap off (behind a proxy every connection has the proxy's address).
    expect(parseConfig({ CONNECTIONS_PER_IP: "0" }).limits.connectionsPerIp).toBe(0);
  });

  it("names a usage limit that is not a whole number in range", () => {
    for (const name of ["API_TOKENS_PER_USER", "LIVE_STREAMS_PER_USER", "LIVE_STREAMS_PER_INSTANCE", "MAX_CONNECTIONS"]) {
      for (const bad of ["0", "-1", "1.5", "lots"]) {
        expect(() => parseConfig({ [name]: bad }), `${name}=${bad}`).toThrow(new RegExp(name));
      }
    }
    for (const bad of ["-1", "1.5", "lots"]) {
      expect(() => parseConfig({ CONNECTIONS_PER_IP: bad }), `CONNECTIONS_PER_IP=${bad}`).toThrow(/CONNECTIONS_PER_IP/);
    }
  });

  it("names a bad origin or a limit below 1", () => {
    expect(() => parseConfig({ CORS_ORIGINS: "https://app.example.com/path" })).toThrow(/CORS_ORIGINS/);
    expect(() => parseConfig({ CORS_ORIGINS: "*" })).toThrow(/CORS_ORIGINS/);
    expect(() => parseConfig({ RATE_LIMIT_VIEWER: "0" })).toThrow(/RATE_LIMIT_VIEWER/);
    expect(() => parseConfig({ REQUEST_TIMEOUT_MS: "soon" })).toThrow(/REQUEST_TIMEOUT_MS/);
  });
});

describe("composed configs", () => {
  const serverOnly = { PORT: "seventy", AUTH_SECRET: "short", RATE_LIMIT_VIEWER: "0", ADMIN_EMAIL: "a@b.co", CORS_ORIGINS: "*" };

  it("gives the worker the stores, the runtime and idempotency, and nothing of HTTP or sign-in", () => {
    const w = parseWorkerConfig({ DATABASE_URL: "postgres://u@h/db", REDIS_URL: "redis://r:6379", NODE_ENV: "production", IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: "30" });
    expect(w).toEqual({
      nodeEnv: "production",
      logLevel: "info",
      databaseUrl: "postgres://u@h/db",
      dataDir: ".data",
      redisUrl: "redis://r:6379",
      idempotency: { ttlMs: 86_400_000, waitMs: 2_000, lockTimeoutMs: 30_000, sweepIntervalMs: 30_000 },
      jobs: { inProcess: false, concurrency: 2, retentionMs: 7 * 86_400_000, shutdownGraceMs: 10_000 },
    });
  });

  it("does not require or check the server's variables in the worker", () => {
    expect(() => parseConfig(serverOnly)).toThrow(ConfigError);
    const w = parseWorkerConfig(serverOnly);
    expect(w).not.toHaveProperty("port");
    expect(w).not.toHaveProperty("admin");
    expect(w.databaseUrl).toBeUndefined();
  });

  it("still names every bad variable the worker reads", () => {
    try {
      parseWorkerConfig({ ...serverOnly, DATABASE_URL: "mysql://x/y", REDIS_URL: "nope", IDEMPOTENCY_WAIT_MS: "-1", LOG_LEVEL: "loud" });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const named = new Set((e as ConfigError).problems.map((p) => p.split(":")[0]));
      // Those, and only those: the server's variables are not the worker's business.
      expect([...named].sort()).toEqual(["DATABASE_URL", "IDEMPOTENCY_WAIT_MS", "LOG_LEVEL", "REDIS_URL"]);
    }
  });

  it("gives a command-line tool only where the server is and its token (apps/cli)", () => {
    expect(parseClientConfig({})).toEqual({ url: undefined, token: undefined });
    expect(parseClientConfig({ ...serverOnly, DATABASE_URL: "mysql://x/y", TRELLIS_URL: "https://trellis.example.com", TRELLIS_TOKEN: "trl_abc" })).toEqual({
      url: "https://trellis.example.com",
      token: "trl_abc",
    });
    expect(parseClientConfig({ TRELLIS_URL: "", TRELLIS_TOKEN: "" })).toEqual({ url: undefined, token: undefined });
    expect(() => parseClientConfig({ TRELLIS_URL: "ftp://x" })).toThrow(/TRELLIS_URL/);
    expect(() => parseClientConfig({ TRELLIS_URL: "not a url" })).toThrow(/TRELLIS_URL/);
  });

  it("loads each from the environment, overrides first", () => {
    expect(loadConfig).toBe(loadServerConfig);
    expect(loadServerConfig({ PORT: "4321" }).port).toBe(4321);
    expect(loadWorkerConfig({ DATA_DIR: "/tmp/w" }).dataDir).toBe("/tmp/w");
    expect(loadClientConfig({ TRELLIS_URL: "http://127.0.0.1:3000" }).url).toBe("http://127.0.0.1:3000");
  });

  it("parses a variable once however many groups read it", () => {
    // NODE_ENV is read by runtime, seed and faults, DATABASE_URL by database and seed.
    const problems = (() => {
      try {
        parseConfig({ NODE_ENV: "staging", DATABASE_URL: "mysql://x/y" });
      } catch (e) {
        return (e as ConfigError).problems;
      }
    })();
    expect(problems?.filter((p) => p.startsWith("NODE_ENV:"))).toHaveLength(1);
    expect(problems?.filter((p) => p.startsWith("DATABASE_URL:"))).toHaveLength(1);
  });

  it("refuses two rules for one variable", () => {
    const other = envGroup({ NODE_ENV: envGroups.runtime.vars.LOG_LEVEL }, (e) => ({ x: e.NODE_ENV }));
    expect(() => composeEnv(envGroups.runtime, other)).toThrow(/NODE_ENV/);
  });
});

describe("jobs", () => {
  it("work in-process by default only in embedded mode", () => {
    expect(parseConfig({}).jobs).toEqual({ inProcess: true, concurrency: 2, retentionMs: 7 * 86_400_000, shutdownGraceMs: 10_000 });
    expect(parseConfig({ DATABASE_URL: "postgres://u@h/db" }).jobs.inProcess).toBe(false);
    expect(parseConfig({ DATABASE_URL: "postgres://u@h/db", JOBS_IN_PROCESS: "true" }).jobs.inProcess).toBe(true);
    expect(parseConfig({ JOBS_IN_PROCESS: "false" }).jobs.inProcess).toBe(false);
    expect(parseConfig({ JOBS_IN_PROCESS: "" }).jobs.inProcess).toBe(true);
  });

  it("reads the worker's concurrency, the retention and the shutdown grace", () => {
    expect(parseWorkerConfig({ WORKER_CONCURRENCY: "8", JOB_RETENTION_DAYS: "30", WORKER_SHUTDOWN_GRACE_MS: "0" }).jobs).toMatchObject({
      concurrency: 8,
      retentionMs: 30 * 86_400_000,
      shutdownGraceMs: 0,
    });
  });

  it("names each bad value", () => {
    const problems = (env: Record<string, string>) => {
      try {
        parseWorkerConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).problems;
      }
      return [];
    };
    expect(problems({ JOBS_IN_PROCESS: "sometimes" })).toEqual(["JOBS_IN_PROCESS: must be auto, true or false"]);
    expect(problems({ WORKER_CONCURRENCY: "0" })[0]).toMatch(/^WORKER_CONCURRENCY: /);
    expect(problems({ WORKER_CONCURRENCY: "two" })[0]).toMatch(/^WORKER_CONCURRENCY: /);
    expect(problems({ JOB_RETENTION_DAYS: "1.5" })[0]).toMatch(/^JOB_RETENTION_DAYS: /);
    expect(problems({ WORKER_SHUTDOWN_GRACE_MS: "-1" })[0]).toMatch(/^WORKER_SHUTDOWN_GRACE_MS: /);
    expect(problems({ IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: "0.5" })[0]).toMatch(/^IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: /);
  });
});

describe("defaults", () => {
  it("are the schema's, parsed from an empty environment, and cannot be changed", () => {
    expect(configDefaults).toEqual(parseConfig({}));
    expect(Object.isFrozen(configDefaults.rateLimit.points)).toBe(true);
    // A parse hands out its own objects, not the frozen defaults.
    expect(Object.isFrozen(parseConfig({}).rateLimit)).toBe(false);
    expect(parseConfig({}).corsOrigins).not.toBe(configDefaults.corsOrigins);
  });
});
