import { randomUUID } from "node:crypto";
import { apiTokens, authEvents, users } from "@trellis/db";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, FIXTURE_PASSWORD, type Harness } from "../../../test/harness.js";
import type { Principal } from "../../auth/session.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const admin = () => h.as(h.users.admin);

/** A fresh user of this role, signed in once (session token) with an API token. */
async function person(role: "viewer" | "editor" | "admin") {
  const email = `${role}-${randomUUID().slice(0, 8)}@test.local`;
  const invited = await admin().admin.users.invite({ email, name: `Person ${email}`, role });
  const password = invited.temporaryPassword!;
  const login = await h.as(null).auth.login({ email, password });
  const session = (await h.authenticate({ cookie: login.token }))!;
  const token = (await h.as(session).token.create({ name: "script", scope: "read+write", expiresInDays: 30 })).token!;
  return { id: invited.user.id, email, password, sessionToken: login.token, apiToken: token, session };
}

async function eventsFor(targetId: string) {
  return h.db.db.select().from(authEvents).where(eq(authEvents.targetId, targetId)).orderBy(authEvents.id);
}

describe("admin.users.invite", () => {
  it("creates the user with a temporary password that signs in, shown once, and audits it", async () => {
    const email = `Invited-${randomUUID().slice(0, 8)}@Test.Local`;
    const result = await admin().admin.users.invite({ email, name: "Invited Person", role: "editor" });
    expect(result.user).toMatchObject({ email, name: "Invited Person", role: "editor", deactivatedAt: null, lastSeenAt: null });
    expect(result.temporaryPassword!.length).toBeGreaterThanOrEqual(12);
    const login = await h.as(null).auth.login({ email, password: result.temporaryPassword! });
    expect(login.user).toEqual({ id: result.user.id, email, name: "Invited Person", role: "editor" });
    const [event] = await eventsFor(result.user.id);
    expect(event).toMatchObject({ action: "user_invited", actorId: h.users.admin.userId, targetType: "user", details: { email, role: "editor" } });
    // The listing now shows a last-seen time from the session.
    const listed = (await admin().admin.users.list({ limit: 500 })).items.find((u) => u.id === result.user.id);
    expect(listed?.lastSeenAt).toBeInstanceOf(Date);
  });

  it("refuses an email that exists, in any case", async () => {
    const err = await caught(admin().admin.users.invite({ email: h.users.viewer.email.toUpperCase(), name: "Dup", role: "viewer" }));
    expect(err).toMatchObject({ code: "CONFLICT", reason: "EMAIL_TAKEN" });
    expect(err.details?.fieldErrors).toEqual({ email: ["A user with this email already exists"] });
  });
});

describe("admin.users.list", () => {
  it("pages through every user by email without repeats", async () => {
    for (let i = 0; i < 3; i++) await admin().admin.users.invite({ email: `page-${i}-${randomUUID().slice(0, 6)}@test.local`, name: `Page ${i}`, role: "viewer" });
    const all = (await admin().admin.users.list({ limit: 500 })).items;
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await admin().admin.users.list({ limit: 2, cursor });
      seen.push(...page.items.map((u) => u.email));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((u) => u.email));
    expect(seen).toEqual([...seen].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1)));
    expect(Object.keys(all[0]!)).not.toContain("passwordHash");
    expect((await caught(admin().admin.users.list({ cursor: "not a cursor" }))).reason).toBe("INVALID_CURSOR");
  });

  it("is admin-only", async () => {
    for (const role of ["viewer", "editor"] as const) {
      expect(await caught(h.as(h.users[role]).admin.users.list({}))).toMatchObject({ code: "FORBIDDEN", reason: "INSUFFICIENT_ROLE" });
      expect(await caught(h.as(h.users[role]).admin.users.invite({ email: "x@test.local", name: "X", role: "admin" }))).toMatchObject({
        code: "FORBIDDEN",
      });
    }
    expect(await h.db.db.select().from(users).where(eq(users.email, "x@test.local"))).toEqual([]);
  });
});

describe("admin.users.setRole", () => {
  it("changes the role, at once for the user's session and token, and audits from/to", async () => {
    const p = await person("viewer");
    const updated = await admin().admin.users.setRole({ id: p.id, role: "editor" });
    expect(updated.role).toBe("editor");
    expect((await h.authenticate({ cookie: p.sessionToken }))?.role).toBe("editor");
    expect((await h.authenticate({ authorization: `Bearer ${p.apiToken}` }))?.role).toBe("editor");
    const events = (await eventsFor(p.id)).filter((e) => e.action === "role_changed");
    expect(events.map((e) => e.details)).toEqual([{ email: p.email, from: "viewer", to: "editor" }]);
    // Setting the same role again is no change.
    await admin().admin.users.setRole({ id: p.id, role: "editor" });
    expect((await eventsFor(p.id)).filter((e) => e.action === "role_changed")).toHaveLength(1);
  });

  it("answers NOT_FOUND for an unknown user", async () => {
    expect(await caught(admin().admin.users.setRole({ id: randomUUID(), role: "admin" }))).toMatchObject({ code: "NOT_FOUND", reason: "USER_NOT_FOUND" });
  });
});

describe("deactivation", () => {
  it("stops the user's sessions and API tokens at once, and sign-in fails with the generic message", async () => {
    const p = await person("editor");
    expect(await h.authenticate({ cookie: p.sessionToken })).not.toBeNull();
    expect(await h.authenticate({ authorization: `Bearer ${p.apiToken}` })).not.toBeNull();

    const result = await admin().admin.users.deactivate({ id: p.id });
    expect(result.deactivatedAt).toBeInstanceOf(Date);
    expect(await h.authenticate({ cookie: p.sessionToken })).toBeNull();
    expect(await h.authenticate({ authorization: `Bearer ${p.sessionToken}` })).toBeNull();
    expect(await h.authenticate({ authorization: `Bearer ${p.apiToken}` })).toBeNull();

    const refused = await caught(h.as(null).auth.login({ email: p.email, password: p.password }));
    const wrong = await caught(h.as(null).auth.login({ email: p.email, password: "wrong password here" }));
    expect(refused).toMatchObject({ code: "UNAUTHORIZED", reason: "INVALID_CREDENTIALS", message: wrong.message });

    const actions = (await eventsFor(p.id)).map((e) => [e.action, e.details]);
    expect(actions).toContainEqual(["user_deactivated", { email: p.email, sessionsRevoked: 1, tokensRevoked: 1 }]);
    expect(actions).toContainEqual(["login_failed", { email: p.email, reason: "deactivated" }]);
  });

  it("reactivation lets the user sign in again; their old tokens stay revoked", async () => {
    const p = await person("viewer");
    await admin().admin.users.deactivate({ id: p.id });
    expect((await admin().admin.users.reactivate({ id: p.id })).deactivatedAt).toBeNull();
    expect((await h.as(null).auth.login({ email: p.email, password: p.password })).user.id).toBe(p.id);
    expect(await h.authenticate({ authorization: `Bearer ${p.apiToken}` })).toBeNull();
    const [token] = await h.db.db.select().from(apiTokens).where(eq(apiTokens.userId, p.id));
    expect(token!.revokedAt).toBeInstanceOf(Date);
    expect((await eventsFor(p.id)).map((e) => e.action)).toEqual(
      expect.arrayContaining(["user_invited", "user_deactivated", "user_reactivated"]),
    );
  });

  it("never leaves the system without an active admin", async () => {
    // Only this file's admins: deactivate every other admin first.
    const others = await h.db.db.select({ id: users.id }).from(users).where(eq(users.role, "admin"));
    for (const { id } of others) if (id !== h.users.admin.userId) await admin().admin.users.deactivate({ id });

    const self = h.users.admin.userId;
    expect(await caught(admin().admin.users.deactivate({ id: self }))).toMatchObject({ code: "CONFLICT", reason: "LAST_ADMIN" });
    expect(await caught(admin().admin.users.setRole({ id: self, role: "editor" }))).toMatchObject({ code: "CONFLICT", reason: "LAST_ADMIN" });
    const [me] = await h.db.db.select().from(users).where(eq(users.id, self));
    expect(me).toMatchObject({ role: "admin", deactivatedAt: null });

    // With a second active admin, the first may step down.
    const second = await person("admin");
    const secondAdmin: Principal = { ...second.session };
    expect((await h.as(secondAdmin).admin.users.setRole({ id: self, role: "editor" })).role).toBe("editor");
    expect(await caught(h.as(secondAdmin).admin.users.deactivate({ id: second.id }))).toMatchObject({ reason: "LAST_ADMIN" });
    await h.as(secondAdmin).admin.users.setRole({ id: self, role: "admin" });
  });
});

describe("admin.users.revokeSessions", () => {
  it("signs the user out everywhere at once, leaving API tokens", async () => {
    const p = await person("editor");
    const again = await h.as(null).auth.login({ email: p.email, password: p.password });
    expect(await admin().admin.users.revokeSessions({ id: p.id })).toEqual({ revoked: 2 });
    for (const token of [p.sessionToken, again.token]) expect(await h.authenticate({ cookie: token })).toBeNull();
    expect(await h.authenticate({ authorization: `Bearer ${p.apiToken}` })).not.toBeNull();
    const events = await h.db.db.select().from(authEvents).where(and(eq(authEvents.action, "sessions_revoked"), inArray(authEvents.targetId, [p.id])));
    expect(events.map((e) => e.details)).toEqual([{ email: p.email, count: 2 }]);
  });
});

describe("sign-in of fixture users still works", () => {
  it("with the fixture password", async () => {
    expect((await h.as(null).auth.login({ email: h.users.viewer.email, password: FIXTURE_PASSWORD })).user.role).toBe("viewer");
  });
});
