import { projectEvents, projects } from "@trellis/db";
import { count } from "drizzle-orm";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, FIXTURE_PASSWORD, type Harness, sessions } from "../../../test/harness.js";
import { SESSION_COOKIE } from "../../auth/session.js";
import type { CookieOptions, ResponseControl } from "../../context.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

/** A ResponseControl that remembers every call, as the HTTP adapter would apply them. */
function recordingResponse() {
  const calls: Array<
    | { op: "setCookie"; name: string; value: string; opts: CookieOptions }
    | { op: "clearCookie"; name: string }
    | { op: "setHeader"; name: string; value: string }
  > = [];
  const response: ResponseControl = {
    setCookie: (name, value, opts) => void calls.push({ op: "setCookie", name, value, opts }),
    clearCookie: (name) => void calls.push({ op: "clearCookie", name }),
    setHeader: (name, value) => void calls.push({ op: "setHeader", name, value }),
  };
  return { response, calls };
}

async function counts() {
  const [[p], [e]] = await Promise.all([
    h.db.db.select({ n: count() }).from(projects),
    h.db.db.select({ n: count() }).from(projectEvents),
  ]);
  return { projects: Number(p!.n), events: Number(e!.n) };
}

describe("auth.login", () => {
  it("returns a short-lived access token naming a new session, the user, and sets the session cookie", async () => {
    const { response, calls } = recordingResponse();
    const result = await h.as(null, { response }).auth.login({ email: "editor@test.local", password: FIXTURE_PASSWORD });

    const editor = h.users.editor;
    expect(result.user).toEqual({ id: editor.userId, email: editor.email, name: editor.name, role: "editor" });
    const verified = await sessions.verify(result.token);
    expect(verified?.userId).toBe(editor.userId);
    expect(result.expiresAt).toBeInstanceOf(Date);
    const claims = decodeJwt(result.token);
    expect(claims.sid).toBe(verified?.sessionId);
    expect(result.expiresAt.getTime()).toBe(claims.exp! * 1000);
    // The access token is short-lived; the cookie lasts as long as the session.
    expect(claims.exp! - claims.iat!).toBe(sessions.ttlSeconds);
    expect(sessions.ttlSeconds).toBeLessThan(sessions.sessionTtlSeconds);

    expect(calls).toEqual([
      { op: "setCookie", name: SESSION_COOKIE, value: result.token, opts: { maxAgeSeconds: sessions.sessionTtlSeconds, secure: false } },
    ]);

    // The token is the principal: the host resolves it (role from the database) and authed procedures work.
    const principal = await h.authenticate({ authorization: `Bearer ${result.token}` });
    expect(principal).toMatchObject({ kind: "session", sessionId: verified?.sessionId, ...editor });
    const me = await h.as(principal).auth.me();
    expect(me).toEqual(result.user);
  });

  it("matches the email case-insensitively and signs in every role", async () => {
    for (const [email, role] of [
      ["VIEWER@TEST.LOCAL", "viewer"],
      ["Editor@Test.Local", "editor"],
      ["aDmIn@test.LOCAL", "admin"],
    ] as const) {
      const result = await h.as(null).auth.login({ email, password: FIXTURE_PASSWORD });
      expect(result.user.role).toBe(role);
      expect(result.user.id).toBe(h.users[role].userId);
      expect((await h.authenticate({ cookie: result.token }))?.userId).toBe(h.users[role].userId);
    }
  });

  it("answers a wrong password and an unknown email the same way, without a cookie", async () => {
    const wrong = recordingResponse();
    const unknown = recordingResponse();
    const wrongPassword = await caught(
      h.as(null, { response: wrong.response }).auth.login({ email: "editor@test.local", password: `${FIXTURE_PASSWORD}!` }),
    );
    const unknownEmail = await caught(
      h.as(null, { response: unknown.response }).auth.login({ email: "nobody@test.local", password: FIXTURE_PASSWORD }),
    );
    for (const err of [wrongPassword, unknownEmail]) {
      expect(err.code).toBe("UNAUTHORIZED");
      expect(err.reason).toBe("INVALID_CREDENTIALS");
    }
    expect(unknownEmail.message).toBe(wrongPassword.message);
    expect(wrong.calls).toEqual([]);
    expect(unknown.calls).toEqual([]);
  });

  it("rejects a malformed email or empty password as a bad request", async () => {
    for (const input of [
      { email: "not-an-email", password: FIXTURE_PASSWORD },
      { email: "editor@test.local", password: "" },
    ]) {
      expect((await caught(h.as(null).auth.login(input))).code).toBe("BAD_REQUEST");
    }
  });
});

describe("auth.me and auth.logout", () => {
  it("answers UNAUTHORIZED to auth.me when signed out", async () => {
    const err = await caught(h.as(null).auth.me());
    expect(err.code).toBe("UNAUTHORIZED");
    expect(err.reason).toBe("SIGNED_OUT");
  });

  it("returns the signed-in user from auth.me", async () => {
    const admin = h.users.admin;
    expect(await h.as(admin).auth.me()).toEqual({ id: admin.userId, email: admin.email, name: admin.name, role: "admin" });
  });

  it("clears the session cookie on logout", async () => {
    const { response, calls } = recordingResponse();
    expect(await h.as(h.users.viewer, { response }).auth.logout()).toEqual({ ok: true });
    expect(calls).toEqual([{ op: "clearCookie", name: SESSION_COOKIE }]);
  });
});

describe("role enforcement on project procedures", () => {
  let archivedId: string;
  let liveId: string;
  beforeAll(async () => {
    const editor = h.as(h.users.editor);
    liveId = (await editor.project.create({ name: "Roles live" })).id;
    const archived = await editor.project.create({ name: "Roles archived" });
    await editor.project.archive({ id: archived.id, expectedVersion: 1 });
    archivedId = archived.id;
  });

  /** Every project procedure with input that would succeed for an editor right now. */
  function everyProcedure(caller: ReturnType<Harness["as"]>) {
    return {
      list: () => caller.project.list({}),
      stats: () => caller.project.stats(),
      byId: () => caller.project.byId({ id: liveId }),
      activity: () => caller.project.activity({ id: liveId }),
      create: () => caller.project.create({ name: "Should not exist" }),
      update: () => caller.project.update({ id: liveId, expectedVersion: 1, patch: { name: "Should not change" } }),
      archive: () => caller.project.archive({ id: liveId, expectedVersion: 1 }),
      restore: () => caller.project.restore({ id: archivedId, expectedVersion: 2 }),
      revert: () => caller.project.revert({ id: liveId, toVersion: 1, expectedVersion: 1 }),
      history: () => caller.project.history({ id: liveId }),
      changes: () => caller.project.changes({}),
      bulk: () => caller.project.bulk({ change: { action: "archive" }, selection: { ids: [{ id: liveId, expectedVersion: 1 }] } }),
      export: () => caller.project.export({}),
    } satisfies Record<keyof ReturnType<Harness["as"]>["project"], () => Promise<unknown>>;
  }

  it("answers UNAUTHORIZED to every project procedure when signed out, and writes nothing", async () => {
    const before = await counts();
    const liveBefore = await h.as(h.users.admin).project.byId({ id: liveId });
    for (const [name, call] of Object.entries(everyProcedure(h.as(null)))) {
      const err = await caught(call());
      expect({ name, code: err.code, reason: err.reason }).toEqual({ name, code: "UNAUTHORIZED", reason: "SIGNED_OUT" });
    }
    expect(await counts()).toEqual(before);
    expect(await h.as(h.users.admin).project.byId({ id: liveId })).toEqual(liveBefore);
  });

  it("checks sign-in before validating input", async () => {
    const anon = h.as(null);
    const err = await caught(anon.project.update({ id: "nope", expectedVersion: 0, patch: {} }));
    expect(err.code).toBe("UNAUTHORIZED");
  });

  it("lets a viewer read but answers FORBIDDEN to every write, writing nothing", async () => {
    const viewer = h.as(h.users.viewer);
    const before = await counts();
    const liveBefore = await viewer.project.byId({ id: liveId });
    const archivedBefore = await viewer.project.byId({ id: archivedId });

    const procs = everyProcedure(viewer);
    expect((await procs.list()).items.map((p) => p.id)).toContain(liveId);
    expect((await procs.byId()).id).toBe(liveId);
    expect((await procs.stats()).total).toBeGreaterThanOrEqual(1);
    expect((await procs.activity()).items.map((e) => e.action)).toEqual(["created"]);

    for (const name of ["create", "update", "archive", "restore", "revert", "bulk"] as const) {
      const err = await caught(procs[name]());
      expect({ name, code: err.code, reason: err.reason }).toEqual({ name, code: "FORBIDDEN", reason: "INSUFFICIENT_ROLE" });
    }
    expect(await counts()).toEqual(before);
    expect(await viewer.project.byId({ id: liveId })).toEqual(liveBefore);
    expect(await viewer.project.byId({ id: archivedId })).toEqual(archivedBefore);
  });

  it.each(["editor", "admin"] as const)("lets an %s create, update, archive and restore", async (role) => {
    const caller = h.as(h.users[role]);
    const created = await caller.project.create({ name: `Written by ${role}` });
    expect(created.ownerId).toBe(h.users[role].userId);
    const updated = await caller.project.update({ id: created.id, expectedVersion: 1, patch: { status: "active" } });
    expect(updated).toMatchObject({ status: "active", version: 2 });
    const archived = await caller.project.archive({ id: created.id, expectedVersion: 2 });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    const restored = await caller.project.restore({ id: created.id, expectedVersion: 3 });
    expect(restored).toMatchObject({ archivedAt: null, version: 4 });

    const events = await caller.project.activity({ id: created.id });
    expect(events.items.map((e) => [e.action, e.actorId])).toEqual(
      ["restored", "archived", "updated", "created"].map((a) => [a, h.users[role].userId]),
    );
  });
});
