import { authEvents, sessions as sessionRows } from "@trellis/db";
import { createMemoryKv } from "@trellis/kv";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, FIXTURE_PASSWORD, type Harness, sessions } from "../../test/harness.js";
import { type CookieOptions, createServices, type ResponseControl } from "../context.js";
import { authenticate } from "./authenticate.js";
import { cachedCredential, type CachedCredential, invalidateCredentials, sessionCacheKey } from "./credential-cache.js";
import { createSessionSigner, SESSION_COOKIE } from "./session.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

function cookieJar() {
  const set: Array<{ value: string; opts: CookieOptions }> = [];
  const response: ResponseControl = {
    setCookie: (name, value, opts) => {
      if (name === SESSION_COOKIE) set.push({ value, opts });
    },
    clearCookie() {},
    setHeader() {},
  };
  return { set, response };
}

async function signIn(role: "viewer" | "editor" | "admin", password = FIXTURE_PASSWORD) {
  const result = await h.as(null).auth.login({ email: h.users[role].email, password });
  const principal = await h.authenticate({ cookie: result.token });
  if (!principal) throw new Error("sign-in did not give a usable session");
  return { token: result.token, principal };
}

describe("server-side sessions", () => {
  it("refuses the same token on the next request after logout, as cookie and as bearer", async () => {
    const { token, principal } = await signIn("viewer");
    expect(principal).toMatchObject({ kind: "session", userId: h.users.viewer.userId, role: "viewer" });
    // Checked twice: the second check is answered from the kv cache, which logout must invalidate.
    expect(await h.authenticate({ authorization: `Bearer ${token}` })).not.toBeNull();

    expect(await h.as(principal).auth.logout()).toEqual({ ok: true });

    expect(await h.authenticate({ cookie: token })).toBeNull();
    expect(await h.authenticate({ authorization: `Bearer ${token}` })).toBeNull();
    const [row] = await h.db.db.select().from(sessionRows).where(eq(sessionRows.id, principal.sessionId!));
    expect(row).toMatchObject({ revokedReason: "logout" });
    expect(row!.revokedAt).toBeInstanceOf(Date);
  });

  it("ends an open live-update stream when its session is revoked", async () => {
    const { principal } = await signIn("viewer");
    const controller = new AbortController();
    const stream = await h.as(principal, { signal: controller.signal }).project.changes({});
    const iterator = stream[Symbol.asyncIterator]();
    try {
      // Server-side callers see tracked(id, data) tuples.
      const first = (await iterator.next()).value as unknown as [string, { type: string }];
      expect(first[1]).toMatchObject({ type: "ready" });
      await h.as(principal).auth.logout();
      // A write wakes the stream at once (it would also wake by itself within seconds).
      await h.as(h.users.editor).project.create({ name: "Wakes the stream" });
      const err = await caught(iterator.next());
      expect(err).toMatchObject({ code: "UNAUTHORIZED", reason: "SIGNED_OUT" });
    } finally {
      controller.abort();
    }
  });

  it("logs the session out only: the user's other sessions stay", async () => {
    const first = await signIn("editor");
    const second = await signIn("editor");
    await h.as(first.principal).auth.logout();
    expect(await h.authenticate({ cookie: first.token })).toBeNull();
    expect((await h.authenticate({ cookie: second.token }))?.sessionId).toBe(second.principal.sessionId);
  });

  it("takes the role from the database, so a role change applies to a cached session at once", async () => {
    const invited = await h.as(h.users.admin).admin.users.invite({ email: "role-change@test.local", name: "Role change", role: "editor" });
    const login = await h.as(null).auth.login({ email: "role-change@test.local", password: invited.temporaryPassword! });
    expect((await h.authenticate({ cookie: login.token }))?.role).toBe("editor");
    await h.as(h.users.admin).admin.users.setRole({ id: invited.user.id, role: "viewer" });
    expect((await h.authenticate({ cookie: login.token }))?.role).toBe("viewer");
  });

  it("refuses tokens that are not ours, malformed, or lack a session", async () => {
    const foreign = createSessionSigner({ secret: "y".repeat(32), ttlSeconds: 900 });
    const { principal } = await signIn("viewer");
    const forged = await foreign.sign({ userId: principal.userId, sessionId: principal.sessionId! });
    const unknownSession = await sessions.sign({ userId: principal.userId, sessionId: "00000000-0000-4000-8000-000000000000" });
    const otherUser = await sessions.sign({ userId: h.users.admin.userId, sessionId: principal.sessionId! });
    for (const token of [forged.token, unknownSession.token, otherUser.token, "not-a-jwt", ""]) {
      expect(await h.authenticate({ cookie: token })).toBeNull();
      expect(await h.authenticate({ authorization: `Bearer ${token}` })).toBeNull();
    }
  });

  it("does not let a valid cookie rescue an invalid bearer token", async () => {
    const { token } = await signIn("viewer");
    expect(await h.authenticate({ authorization: "Bearer nonsense", cookie: token })).toBeNull();
  });
});

describe("access token renewal", () => {
  /** A signer and services on one movable clock. */
  function clocked() {
    let now = Date.now();
    const signer = createSessionSigner({ secret: "x".repeat(32), ttlSeconds: 900, sessionTtlSeconds: 3600, now: () => now });
    const services = createServices({ now: () => new Date(now) });
    const deps = { db: h.db.db, kv: h.kv, sessions: signer, services };
    return { deps, advance: (ms: number) => void (now += ms), now: () => now };
  }

  async function clockedSession(c: ReturnType<typeof clocked>) {
    const jar = cookieJar();
    const result = await h.as(null, { response: jar.response }).auth.login({ email: h.users.editor.email, password: FIXTURE_PASSWORD });
    const sessionId = (await h.authenticate({ cookie: result.token }))!.sessionId!;
    const expiresAt = new Date(c.now() + 3600_000);
    await h.db.db.update(sessionRows).set({ expiresAt }).where(eq(sessionRows.id, sessionId));
    await invalidateCredentials(h.kv, [sessionCacheKey(sessionId)], () => {});
    const { token } = await c.deps.sessions.sign({ userId: h.users.editor.userId, sessionId });
    return { token, sessionId };
  }

  it("renews the cookie once the access token is past half its life, not before", async () => {
    const c = clocked();
    const { token, sessionId } = await clockedSession(c);
    const early = cookieJar();
    expect(await authenticate(c.deps, { cookie: token }, early.response)).toMatchObject({ sessionId });
    expect(early.set).toEqual([]);

    c.advance(8 * 60_000);
    const late = cookieJar();
    expect(await authenticate(c.deps, { cookie: token }, late.response)).toMatchObject({ sessionId });
    expect(late.set).toHaveLength(1);
    const renewed = await c.deps.sessions.verify(late.set[0]!.value);
    expect(renewed).toMatchObject({ sessionId, expired: false });
    expect(renewed!.expiresAt.getTime()).toBe(Math.floor(c.now() / 1000) * 1000 + 900_000);
    // The cookie lives as long as the session has left.
    expect(late.set[0]!.opts.maxAgeSeconds).toBe(3600 - 8 * 60);
  });

  it("keeps an idle dashboard signed in through its cookie, but not an expired bearer token", async () => {
    const c = clocked();
    const { token, sessionId } = await clockedSession(c);
    c.advance(30 * 60_000);
    expect(await authenticate(c.deps, { authorization: `Bearer ${token}` })).toBeNull();
    const jar = cookieJar();
    expect(await authenticate(c.deps, { cookie: token }, jar.response)).toMatchObject({ sessionId, kind: "session" });
    expect(jar.set).toHaveLength(1);
    expect(await authenticate(c.deps, { authorization: `Bearer ${jar.set[0]!.value}` })).toMatchObject({ sessionId });
  });

  it("ends when the session ends, cookie or not", async () => {
    const c = clocked();
    const { token } = await clockedSession(c);
    c.advance(3600_000 + 1);
    expect(await authenticate(c.deps, { cookie: token }, cookieJar().response)).toBeNull();
  });
});

describe("auth.changePassword", () => {
  it("rejects a wrong current password and a short new one, changing nothing", async () => {
    const { principal, token } = await signIn("viewer");
    const wrong = await caught(h.as(principal).auth.changePassword({ currentPassword: "not it at all", newPassword: "a brand new password" }));
    expect(wrong).toMatchObject({ code: "BAD_REQUEST", reason: "CURRENT_PASSWORD_INCORRECT" });
    expect(wrong.details?.fieldErrors).toEqual({ currentPassword: ["The current password is incorrect"] });
    const short = await caught(h.as(principal).auth.changePassword({ currentPassword: FIXTURE_PASSWORD, newPassword: "short" }));
    expect(short.code).toBe("BAD_REQUEST");
    expect(await h.authenticate({ cookie: token })).not.toBeNull();
    expect((await h.as(null).auth.login({ email: h.users.viewer.email, password: FIXTURE_PASSWORD })).user.role).toBe("viewer");
  });

  it("changes the password, signs out the other sessions at once, keeps this one, and is audited", async () => {
    const invited = await h.as(h.users.admin).admin.users.invite({ email: "pw-change@test.local", name: "Pw", role: "editor" });
    const temp = invited.temporaryPassword!;
    const login = (password: string) => h.as(null).auth.login({ email: "pw-change@test.local", password });
    const here = await login(temp);
    const elsewhere = await login(temp);
    const herePrincipal = (await h.authenticate({ cookie: here.token }))!;
    expect(await h.authenticate({ cookie: elsewhere.token })).not.toBeNull();

    const newPassword = "correct horse battery staple 2";
    expect(await h.as(herePrincipal).auth.changePassword({ currentPassword: temp, newPassword })).toEqual({ ok: true, sessionsRevoked: 1 });

    expect(await h.authenticate({ cookie: elsewhere.token })).toBeNull();
    expect((await h.authenticate({ cookie: here.token }))?.sessionId).toBe(herePrincipal.sessionId);
    expect((await caught(login(temp))).reason).toBe("INVALID_CREDENTIALS");
    expect((await login(newPassword)).user.id).toBe(invited.user.id);

    const events = await h.db.db
      .select()
      .from(authEvents)
      .where(and(eq(authEvents.action, "password_changed"), eq(authEvents.actorId, invited.user.id)));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ targetType: "user", targetId: invited.user.id, details: { sessionsRevoked: 1 } });
  });

  it("is refused to API tokens", async () => {
    const tokenPrincipal = { ...h.users.editor, kind: "token" as const, tokenId: "00000000-0000-4000-8000-000000000001", scope: "read+write" as const };
    const err = await caught(h.as(tokenPrincipal).auth.changePassword({ currentPassword: FIXTURE_PASSWORD, newPassword: "another long password" }));
    expect(err).toMatchObject({ code: "FORBIDDEN", reason: "SESSION_REQUIRED" });
  });
});

describe("credential cache", () => {
  const user: CachedCredential = { userId: "u", role: "viewer", email: "e", name: "n", expiresAtMs: Date.now() + 60_000 };

  it("answers from the store after the first check, until invalidated", async () => {
    const kv = createMemoryKv();
    let loads = 0;
    const load = async () => {
      loads++;
      return user;
    };
    expect(await cachedCredential(kv, "k", Date.now(), load, () => {})).toEqual(user);
    expect(await cachedCredential(kv, "k", Date.now(), load, () => {})).toEqual(user);
    expect(loads).toBe(1);
    await invalidateCredentials(kv, ["k"], () => {});
    expect(await cachedCredential(kv, "k", Date.now(), load, () => {})).toEqual(user);
    expect(await cachedCredential(kv, "k", Date.now(), load, () => {})).toEqual(user);
    // While the marker stands, every check goes to the database and caches nothing.
    expect(loads).toBe(3);
  });

  it("cannot put back an answer read before a revocation that landed meanwhile", async () => {
    const kv = createMemoryKv();
    let revoked = false;
    // The check reads the database (still valid), then the revocation commits and invalidates, then the check caches.
    const racingLoad = async () => {
      const answer = revoked ? null : user;
      revoked = true;
      await invalidateCredentials(kv, ["k"], () => {});
      return answer;
    };
    expect(await cachedCredential(kv, "k", Date.now(), racingLoad, () => {})).toEqual(user);
    expect(await cachedCredential(kv, "k", Date.now(), async () => (revoked ? null : user), () => {})).toBeNull();
  });

  it("checks the database when the store is down", async () => {
    const kv = createMemoryKv();
    const broken = { ...kv, get: async () => Promise.reject(new Error("down")), setIfAbsent: async () => Promise.reject(new Error("down")) };
    const errors: unknown[] = [];
    expect(await cachedCredential(broken, "k", Date.now(), async () => null, (e) => errors.push(e))).toBeNull();
    expect(await cachedCredential(broken, "k", Date.now(), async () => user, (e) => errors.push(e))).toEqual(user);
    expect(errors.length).toBeGreaterThan(0);
  });
});
