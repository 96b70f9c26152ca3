import { randomBytes, randomUUID } from "node:crypto";
import { loadConfig } from "@trellis/config";
import { type Db, type UserRole } from "@trellis/db";
import { createTestDb, type FixtureUser, insertFixtureUsers, type TestDatabase } from "@trellis/db/testing";
import { createMemoryKv, createRedisKv, type Kv } from "@trellis/kv";
import { createServices, type ContextInnerOptions, type Services, createContextInner } from "../src/context.js";
import { createSessionSigner } from "../src/auth/session.js";
import { createCaller } from "../src/router.js";

export interface Recorded {
  headers: Record<string, string>;
}

export interface KeyedHarness {
  db: TestDatabase;
  kv: Kv;
  users: Record<UserRole, FixtureUser>;
  /** Moves the injected clock. */
  clock: { now: Date; advance(ms: number): void };
  services: Services;
  call(role: UserRole, opts?: Partial<Pick<ContextInnerOptions, "idempotencyKey" | "surface" | "callsInRequest">>): {
    caller: ReturnType<typeof createCaller>;
    response: Recorded;
  };
  close(): Promise<void>;
}

/**
 * Router callers that carry Idempotency-Keys, over an isolated database and the kv store the
 * environment names (Redis when REDIS_URL is set, so the fast path is exercised; memory otherwise).
 */
export async function createKeyedHarness(settings: Partial<Services["idempotency"]> = {}): Promise<KeyedHarness> {
  const db = await createTestDb();
  const { redisUrl } = loadConfig();
  const kv = redisUrl
    ? createRedisKv({ url: redisUrl, prefix: `test:${randomBytes(6).toString("hex")}:` })
    : createMemoryKv();
  const users = await insertFixtureUsers(db.db);
  const clock = {
    now: new Date("2030-01-01T00:00:00.000Z"),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const services = createServices({
    now: () => clock.now,
    idempotency: { ttlMs: 24 * 3600_000, waitMs: 2_000, lockTimeoutMs: 30_000, ...settings },
  });
  const sessions = createSessionSigner({ secret: "k".repeat(32), ttlSeconds: 3600 });
  return {
    db,
    kv,
    users,
    clock,
    services,
    call(role, opts = {}) {
      const response: Recorded = { headers: {} };
      const u = users[role];
      const caller = createCaller(
        createContextInner({
          db: db.db as Db,
          kv,
          sessions,
          services,
          principal: { userId: u.id, role: u.role, email: u.email, name: u.name },
          requestId: randomUUID(),
          response: {
            setCookie() {},
            clearCookie() {},
            setHeader(name, value) {
              response.headers[name.toLowerCase()] = value;
            },
          },
          ...opts,
        }),
      );
      return { caller, response };
    },
    async close() {
      await kv.close();
      await db.close();
    },
  };
}
