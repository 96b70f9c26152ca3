import { randomUUID } from "node:crypto";
import { users, type UserRole } from "@trellis/db";
import { createTestDb, type TestDatabase } from "@trellis/db/testing";
import { TRPCError } from "@trpc/server";
import { createMemoryKv, type Kv } from "@trellis/kv";
import { createSessionSigner, type Principal } from "../src/auth/session.js";
import { authenticate, type Credentials } from "../src/auth/authenticate.js";
import { createContextInner, createServices, type ResponseControl, type Services } from "../src/context.js";
import { createCaller } from "../src/router.js";

// A precomputed argon2id hash of "correct horse battery" keeps fixtures fast.
export const FIXTURE_PASSWORD = "correct horse battery";
const FIXTURE_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$PlD8cPOi4OYoK+Ri44jftg$L3xQZRN5csXSxWCgrzImE5kibxrg/UulYCqGrJkNoTo";

export interface CallerOptions {
  requestId?: string;
  /** Records what procedures ask of the HTTP response (cookies, headers). */
  response?: ResponseControl;
  /** Ends subscriptions started through this caller. */
  signal?: AbortSignal;
}

export interface Harness {
  db: TestDatabase;
  kv: Kv;
  services: Services;
  /** The principal the HTTP host would build from these credentials (null: refused). */
  authenticate(creds: Credentials, response?: ResponseControl): Promise<Principal | null>;
  users: Record<UserRole, Principal>;
  /** A caller acting as `principal`; the second argument is a request id or caller options. */
  as(principal: Principal | null, requestIdOrOptions?: string | CallerOptions): ReturnType<typeof createCaller>;
  close(): Promise<void>;
}

export const sessions = createSessionSigner({ secret: "x".repeat(32), ttlSeconds: 900, sessionTtlSeconds: 12 * 3600 });

/** An isolated database with one user per role; callers act as any of them. */
export async function createHarness(): Promise<Harness> {
  const db = await createTestDb();
  const kv = createMemoryKv();
  const services = createServices();
  const roles: UserRole[] = ["viewer", "editor", "admin"];
  const rows = await db.db
    .insert(users)
    .values(roles.map((role) => ({ email: `${role}@test.local`, name: `Test ${role}`, role, passwordHash: FIXTURE_HASH })))
    .returning();
  const byRole = Object.fromEntries(
    rows.map((u) => [u.role, { userId: u.id, role: u.role, email: u.email, name: u.name }]),
  ) as Record<UserRole, Principal>;
  return {
    db,
    kv,
    services,
    authenticate: (creds, response) => authenticate({ db: db.db, kv, sessions, services }, creds, response),
    users: byRole,
    as: (principal, requestIdOrOptions) => {
      const opts = typeof requestIdOrOptions === "string" ? { requestId: requestIdOrOptions } : (requestIdOrOptions ?? {});
      return createCaller(
        createContextInner({ db: db.db, kv, sessions, services, principal, requestId: opts.requestId ?? randomUUID(), response: opts.response }),
        { signal: opts.signal },
      );
    },
    close: () => db.close(),
  };
}

/** The TRPCError a call rejects with; fails the test if the call succeeds or throws anything else. */
export async function caught(p: Promise<unknown>): Promise<TRPCError & { reason?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}
