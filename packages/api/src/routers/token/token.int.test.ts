import { randomUUID } from "node:crypto";
import { apiTokens, authEvents, idempotencyRecords, users } from "@trellis/db";
import { and, eq, or } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness, sessions } from "../../../test/harness.js";
import { hashApiToken } from "../../auth/api-token.js";
import { authenticate } from "../../auth/authenticate.js";
import type { Principal } from "../../auth/session.js";
import { createContextInner, createServices, defaultLimits } from "../../context.js";
import { createCaller } from "../../router.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function newToken(role: "viewer" | "editor" | "admin", scope: "read" | "read+write", expiresInDays = 30) {
  const created = await h.as(h.users[role]).token.create({ name: `${role} ${scope} ${randomUUID().slice(0, 8)}`, scope, expiresInDays });
  return { ...created, secret: created.token! };
}

describe("token.create", () => {
  it("returns the secret once, stores only its SHA-256, and audits the creation", async () => {
    const created = await newToken("editor", "read+write", 7);
    expect(created.secret).toMatch(/^trellis_pat_[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(created.prefix)).toBe(true);
    expect(created.expiresAt.getTime() - created.createdAt.getTime()).toBe(7 * 24 * 3600_000);

    const [row] = await h.db.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).toBe(hashApiToken(created.secret));
    expect(await h.db.db.select().from(apiTokens).where(or(eq(apiTokens.tokenHash, created.secret), eq(apiTokens.prefix, created.secret)))).toEqual([]);

    const listed = await h.as(h.users.editor).token.list();
    const mine = listed.find((t) => t.id === created.id)!;
    expect(mine).toMatchObject({ name: created.name, scope: "read+write", lastUsedAt: null, revokedAt: null });
    expect(Object.keys(mine)).not.toContain("token");
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    const [event] = await h.db.db.select().from(authEvents).where(and(eq(authEvents.action, "token_created"), eq(authEvents.targetId, created.id)));
    expect(event).toMatchObject({ actorId: h.users.editor.userId, targetType: "token", details: { name: created.name, scope: "read+write" } });
  });

  it("never stores the secret for replays: the same Idempotency-Key answers the token without it, creating nothing", async () => {
    const key = randomUUID();
    const caller = () =>
      createCaller(createContextInner({ db: h.db.db, kv: h.kv, sessions, services: h.services, principal: h.users.viewer, idempotencyKey: key }));
    const input = { name: `replayed ${key}`, scope: "read" as const, expiresInDays: 1 };
    const first = await caller().token.create(input);
    const replay = await caller().token.create(input);
    expect(first.token).toMatch(/^trellis_pat_/);
    expect(replay).toEqual({ ...first, token: null });
    expect((await h.as(h.users.viewer).token.list()).filter((t) => t.name === input.name)).toHaveLength(1);
    const records = await h.db.db.select().from(idempotencyRecords).where(eq(idempotencyRecords.key, key));
    expect(records).toHaveLength(1);
    expect(records[0]!.body).not.toContain(first.token!);
  });

  it("caps live tokens per user: beyond the cap it answers TOKEN_LIMIT_REACHED with the cap, and a revoked or expired token frees a place", async () => {
    const [user] = await h.db.db
      .insert(users)
      .values({ email: `cap-${randomUUID()}@test.local`, name: "Cap", role: "editor", passwordHash: "x" })
      .returning();
    if (!user) throw new Error("no user");
    const principal: Principal = { userId: user.id, role: user.role, email: user.email, name: user.name };
    const clock = { now: new Date() };
    const services = createServices({ limits: { ...defaultLimits, apiTokensPerUser: 3 }, now: () => clock.now });
    const caller = () => createCaller(createContextInner({ db: h.db.db, kv: h.kv, sessions, services, principal }));
    const create = (name: string, expiresInDays = 30) => caller().token.create({ name, scope: "read", expiresInDays });

    // Parallel requests cannot both take the last place.
    const first = await create("one", 1);
    const raced = await Promise.allSettled([create("two"), create("three"), create("four")]);
    expect(raced.filter((r) => r.status === "fulfilled")).toHaveLength(2);
    const [refusal] = raced.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(refusal).toMatchObject({ code: "CONFLICT", reason: "TOKEN_LIMIT_REACHED", details: { limit: 3 } });
    expect(String((refusal as Error).message)).toMatch(/3 active API tokens.*revoke/);

    await caller().token.revoke({ id: first.id });
    const again = await create("five", 1);
    expect(await caught(create("six"))).toMatchObject({ reason: "TOKEN_LIMIT_REACHED" });
    clock.now = new Date(clock.now.getTime() + 2 * 24 * 3600_000); // "five" has expired
    expect((await create("seven")).name).toBe("seven");
    expect((await caller().token.list()).filter((t) => !t.revokedAt && t.expiresAt > clock.now)).toHaveLength(3);
    expect(again.name).toBe("five");
  });

  it("validates name, scope and expiry", async () => {
    for (const input of [
      { name: "", scope: "read", expiresInDays: 1 },
      { name: "x", scope: "admin", expiresInDays: 1 },
      { name: "x", scope: "read", expiresInDays: 0 },
      { name: "x", scope: "read", expiresInDays: 366 },
    ]) {
      expect((await caught(h.as(h.users.editor).token.create(input as never))).code).toBe("BAD_REQUEST");
    }
  });
});

describe("API token authentication", () => {
  it("resolves to a token principal with its scope and its user's current role, and records its last use", async () => {
    const created = await newToken("editor", "read");
    const principal = await h.authenticate(bearer(created.secret));
    expect(principal).toEqual({ kind: "token", tokenId: created.id, scope: "read", ...h.users.editor });
    const [row] = await h.db.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.lastUsedAt).toBeInstanceOf(Date);
  });

  it("is not accepted from the cookie, and unknown or mangled tokens are refused", async () => {
    const created = await newToken("viewer", "read");
    expect(await h.authenticate({ cookie: created.secret })).toBeNull();
    expect(await h.authenticate(bearer(`${created.secret}x`))).toBeNull();
    expect(await h.authenticate(bearer(`trellis_pat_${"A".repeat(43)}`))).toBeNull();
  });

  it("stops working at its expiry", async () => {
    const created = await newToken("viewer", "read", 1);
    expect(await h.authenticate(bearer(created.secret))).not.toBeNull();
    const later = createServices({ now: () => new Date(created.expiresAt.getTime() + 1) });
    expect(await authenticate({ db: h.db.db, kv: h.kv, sessions, services: later }, bearer(created.secret))).toBeNull();
  });

  it("stops working at once when revoked, and only its owner can revoke it", async () => {
    const created = await newToken("editor", "read+write");
    expect(await h.authenticate(bearer(created.secret))).not.toBeNull();
    const other = await caught(h.as(h.users.admin).token.revoke({ id: created.id }));
    expect(other).toMatchObject({ code: "NOT_FOUND", reason: "TOKEN_NOT_FOUND" });
    expect(await h.authenticate(bearer(created.secret))).not.toBeNull();

    const revoked = await h.as(h.users.editor).token.revoke({ id: created.id });
    expect(revoked.revokedAt).toBeInstanceOf(Date);
    expect(await h.authenticate(bearer(created.secret))).toBeNull();
    const events = await h.db.db.select().from(authEvents).where(and(eq(authEvents.action, "token_revoked"), eq(authEvents.targetId, created.id)));
    expect(events).toHaveLength(1);
    // Revoking again changes nothing and records nothing.
    expect((await h.as(h.users.editor).token.revoke({ id: created.id })).revokedAt).toEqual(revoked.revokedAt);
    expect(await h.db.db.select().from(authEvents).where(and(eq(authEvents.action, "token_revoked"), eq(authEvents.targetId, created.id)))).toHaveLength(1);
  });
});

describe("token scopes", () => {
  const as = async (secret: string) => h.as((await h.authenticate(bearer(secret))) as Principal);

  it("lets a read token read but refuses every mutation with 403, whatever the role", async () => {
    const read = await as((await newToken("admin", "read")).secret);
    expect((await read.project.list({})).items).toBeInstanceOf(Array);
    expect((await read.auth.me()).role).toBe("admin");
    for (const call of [
      () => read.project.create({ name: "never" }),
      () => read.auth.logout(),
      () => read.admin.users.invite({ email: "never@test.local", name: "Never", role: "viewer" }),
    ]) {
      expect(await caught(call())).toMatchObject({ code: "FORBIDDEN", reason: "INSUFFICIENT_SCOPE" });
    }
  });

  it("lets a read+write token write within its user's role", async () => {
    const editor = await as((await newToken("editor", "read+write")).secret);
    expect((await editor.project.create({ name: "Written with a token" })).ownerId).toBe(h.users.editor.userId);
    const viewer = await as((await newToken("viewer", "read+write")).secret);
    expect(await caught(viewer.project.create({ name: "never" }))).toMatchObject({ code: "FORBIDDEN", reason: "INSUFFICIENT_ROLE" });
  });

  it("refuses token management to tokens: a leaked token cannot mint or revoke tokens", async () => {
    const created = await newToken("editor", "read+write");
    const viaToken = await as(created.secret);
    expect((await viaToken.token.list()).map((t) => t.id)).toContain(created.id);
    expect(await caught(viaToken.token.create({ name: "child", scope: "read", expiresInDays: 1 }))).toMatchObject({ reason: "SESSION_REQUIRED" });
    expect(await caught(viaToken.token.revoke({ id: created.id }))).toMatchObject({ reason: "SESSION_REQUIRED" });
  });
});
