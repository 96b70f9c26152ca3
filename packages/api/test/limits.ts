import { randomBytes, randomUUID } from "node:crypto";
import { loadConfig } from "@trellis/config";
import type { Db, UserRole } from "@trellis/db";
import { createTestDb, type FixtureUser, insertFixtureUsers, type TestDatabase } from "@trellis/db/testing";
import { createMemoryKv, createRedisKv, type Kv } from "@trellis/kv";
import { createSessionSigner, type Principal } from "../src/auth/session.js";
import { type ContextInnerOptions, createContextInner, createServices, type Services } from "../src/context.js";
import type { LimitedPrincipal } from "../src/rate-limit/tiers.js";
import { createCaller } from "../src/router.js";

export interface LimitScope {
  kv: Kv;
  services: Services;
  /** A caller as `who` (a role, an explicit principal, or null for signed out) over HTTP by default. */
  call(
    who: UserRole | (Principal & LimitedPrincipal) | null,
    opts?: Partial<Pick<ContextInnerOptions, "clientIp" | "surface" | "idempotencyKey">>,
  ): { caller: ReturnType<typeof createCaller>; headers: Record<string, string> };
}

export interface LimitHarness {
  db: TestDatabase;
  users: Record<UserRole, FixtureUser>;
  principal(role: UserRole): Principal;
  /** A fresh kv store (its own Redis prefix when REDIS_URL is set) and services with these settings. */
  scope(overrides: Partial<Services>): Promise<LimitScope>;
  close(): Promise<void>;
}

const sessions = createSessionSigner({ secret: "l".repeat(32), ttlSeconds: 3600 });

/**
 * Router callers for budget and sign-in throttling tests: they come "over HTTP" (surface trpc,
 * a client IP) unless told otherwise, against the kv store the environment names.
 */
export async function createLimitHarness(): Promise<LimitHarness> {
  const db = await createTestDb();
  const users = await insertFixtureUsers(db.db);
  const { redisUrl } = loadConfig();
  const stores: Kv[] = [];
  const principal = (role: UserRole): Principal => {
    const u = users[role];
    return { userId: u.id, role: u.role, email: u.email, name: u.name };
  };
  return {
    db,
    users,
    principal,
    async scope(overrides) {
      const kv = redisUrl ? createRedisKv({ url: redisUrl, prefix: `limits:${randomBytes(6).toString("hex")}:` }) : createMemoryKv();
      stores.push(kv);
      // Until Redis is connected, limiters count in process memory; start from the shared store.
      await kv.ping();
      const services = createServices(overrides);
      return {
        kv,
        services,
        call(who, opts = {}) {
          const headers: Record<string, string> = {};
          const caller = createCaller(
            createContextInner({
              db: db.db as Db,
              kv,
              sessions,
              services,
              principal: typeof who === "string" ? principal(who) : who,
              requestId: randomUUID(),
              surface: "trpc",
              clientIp: "192.0.2.1",
              response: {
                setCookie() {},
                clearCookie() {},
                setHeader(name, value) {
                  headers[name.toLowerCase()] = value;
                },
              },
              ...opts,
            }),
          );
          return { caller, headers };
        },
      };
    },
    async close() {
      for (const kv of stores) await kv.close();
      await db.close();
    },
  };
}
