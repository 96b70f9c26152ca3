import { type Config, loadConfig, parseConfig } from "@trellis/config";
import { type FixtureUser, createTestDb, insertFixtureUsers, type TestDatabase } from "@trellis/db/testing";
import { createDb, type UserRole } from "@trellis/db";
import { createKv, type Kv } from "@trellis/kv";
import { createServer, type TrellisServer } from "./server.js";

export interface TestServer {
  url: string;
  server: TrellisServer;
  db: TestDatabase;
  kv: Kv;
  /** Key prefix of this server's kv store, for a second instance that should share it. */
  kvPrefix: string;
  users: Record<UserRole, FixtureUser>;
  /** Signs in through REST and returns the bearer token. */
  tokenFor(role: UserRole): Promise<string>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Budgets far above the production defaults: most tests send bursts as one user and are not about
 * rate limits. Tests that are pass their own RATE_LIMIT_* in `config`.
 */
const generousLimits: Record<string, string> = Object.fromEntries(
  ["VIEWER", "EDITOR", "ADMIN", "TOKEN", "ANONYMOUS"].map((tier) => [`RATE_LIMIT_${tier}`, "1000000"]),
);

/** Fast engine timings for tests: jobs start within ~50 ms of commit and idle polls are short. */
export const testJobTimings = { relayIntervalMs: 50, pollingIntervalSeconds: 0.5, heartbeatIntervalMs: 500, superviseIntervalSeconds: 1 } as const;

/**
 * A real server on 127.0.0.1:<free port> over an isolated test database (PGlite, or a fresh
 * Postgres database when DATABASE_URL is set) and Redis when REDIS_URL is set.
 */
export async function startTestServer(
  opts: {
    webDist?: string;
    config?: Record<string, string>;
    /**
     * Run the in-process job engine (default false: most tests do not need pg-boss, nor pay for
     * it), with fast timings; `server.jobs` is the engine. Maintenance every
     * IDEMPOTENCY_SWEEP_INTERVAL_SECONDS (600 unless `config` says).
     */
    jobs?: boolean;
  } = {},
): Promise<TestServer> {
  // Only the service URLs come from the environment; everything else is fixed for tests.
  const { databaseUrl, redisUrl } = loadConfig();
  const config: Config = {
    ...parseConfig({
      PORT: "0",
      LOG_LEVEL: "warn",
      AUTH_SECRET: "test-secret-".padEnd(40, "x"),
      WORKER_SHUTDOWN_GRACE_MS: "1000",
      ...generousLimits,
      ...opts.config,
      JOBS_IN_PROCESS: opts.jobs ? "true" : "false",
    }),
    databaseUrl,
    redisUrl,
  };
  const db = await createTestDb();
  const kvPrefix = `trellis-test:${Math.random().toString(36).slice(2)}:`;
  const kv = createKv({ redisUrl: config.redisUrl, prefix: kvPrefix });
  const users = await insertFixtureUsers(db.db);
  const server = await createServer({ config, db, kv, webDist: opts.webDist ?? "/nonexistent", jobs: { ...testJobTimings, databaseUrl: db.url } });
  const url = await server.start();
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await server.stop();
      await kv.close();
      await db.close();
    })());
  return {
    url,
    server,
    db,
    kv,
    kvPrefix,
    users,
    async tokenFor(role) {
      const res = await fetch(`${url}/api/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: users[role].email, password: users[role].password }),
      });
      if (!res.ok) throw new Error(`login as ${role} failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

export interface Peer {
  url: string;
  server: TrellisServer;
  close(): Promise<void>;
}

/**
 * A second instance beside `a`: the same database (its own connection pool on Postgres) and the
 * same kv store (another client with the same prefix on Redis; the same in-process store
 * otherwise), unless `kv` is given. For multi-instance tests.
 */
export async function startPeer(a: TestServer, opts: { kv?: Kv } = {}): Promise<Peer> {
  const { redisUrl } = loadConfig();
  const db = a.db.url ? await createDb({ kind: "postgres", url: a.db.url }) : undefined;
  const ownKv = !opts.kv && redisUrl ? createKv({ redisUrl, prefix: a.kvPrefix }) : undefined;
  const server = await createServer({
    config: { ...a.server.config, port: 0 },
    jobs: { ...testJobTimings, databaseUrl: a.db.url },
    db: db ?? a.db,
    kv: opts.kv ?? ownKv ?? a.kv,
    sessions: a.server.sessions,
  });
  const url = await server.start();
  return {
    url,
    server,
    async close() {
      await server.stop();
      await ownKv?.close();
      await db?.close();
    },
  };
}
