import { randomUUID } from "node:crypto";
import { authEvents, type Db, projectEvents, users } from "@trellis/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness, sessions } from "../../../test/harness.js";
import { createContextInner } from "../../context.js";
import { appRouter, createCaller } from "../../router.js";
import { exportAuditCsv, neutralizeFormula } from "./export.js";
import type { AuditEntry } from "./schemas.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

const admin = () => h.as(h.users.admin);

async function everything(filter: Record<string, unknown> = {}): Promise<AuditEntry[]> {
  return (await admin().audit.list({ ...filter, limit: 500 })).items;
}

describe("auth events", () => {
  it("records every auth event with actor, target, request id and ip, and lists them newest first", async () => {
    const requestId = (name: string) => `req-${name}-${randomUUID().slice(0, 6)}`;
    const ids: Record<string, string> = {};
    const as = (p: Parameters<Harness["as"]>[0], name: string) => h.as(p, (ids[name] = requestId(name)));

    const invited = await as(h.users.admin, "invite").admin.users.invite({ email: `audit-${randomUUID().slice(0, 6)}@test.local`, name: "Audit", role: "viewer" });
    const email = invited.user.email;
    const password = invited.temporaryPassword!;
    await caught(as(null, "failed").auth.login({ email, password: "wrong password" }));
    const login = await as(null, "login").auth.login({ email, password });
    const session = (await h.authenticate({ cookie: login.token }))!;
    const token = await as(session, "tokenCreate").token.create({ name: "audited", scope: "read", expiresInDays: 1 });
    await as(session, "tokenRevoke").token.revoke({ id: token.id });
    await as(session, "password").auth.changePassword({ currentPassword: password, newPassword: "a much longer password" });
    await as(h.users.admin, "role").admin.users.setRole({ id: invited.user.id, role: "editor" });
    await as(h.users.admin, "revokeSessions").admin.users.revokeSessions({ id: invited.user.id });
    await as(h.users.admin, "deactivate").admin.users.deactivate({ id: invited.user.id });
    await as(h.users.admin, "reactivate").admin.users.reactivate({ id: invited.user.id });
    const again = await h.as(null).auth.login({ email, password: "a much longer password" });
    await as((await h.authenticate({ cookie: again.token }))!, "logout").auth.logout();

    const byRequest = new Map((await everything()).map((e) => [e.requestId, e]));
    const expected: Array<[string, string, string | null, string | null, string | null]> = [
      ["invite", "user_invited", h.users.admin.userId, "user", invited.user.id],
      ["failed", "login_failed", null, "user", invited.user.id],
      ["login", "login_succeeded", invited.user.id, "session", session.sessionId!],
      ["tokenCreate", "token_created", invited.user.id, "token", token.id],
      ["tokenRevoke", "token_revoked", invited.user.id, "token", token.id],
      ["password", "password_changed", invited.user.id, "user", invited.user.id],
      ["role", "role_changed", h.users.admin.userId, "user", invited.user.id],
      ["revokeSessions", "sessions_revoked", h.users.admin.userId, "user", invited.user.id],
      ["deactivate", "user_deactivated", h.users.admin.userId, "user", invited.user.id],
      ["reactivate", "user_reactivated", h.users.admin.userId, "user", invited.user.id],
      ["logout", "logout", invited.user.id, "session", null],
    ];
    for (const [name, action, actorId, targetType, targetId] of expected) {
      const entry = byRequest.get(ids[name]!);
      expect({ name, action: entry?.action, actorId: entry?.actorId, targetType: entry?.targetType }).toEqual({ name, action, actorId, targetType });
      if (targetId) expect(entry?.targetId).toBe(targetId);
      expect(entry?.source).toBe("auth");
    }
    expect(byRequest.get(ids.failed!)?.details).toEqual({ email, reason: "wrong_password" });
    expect(byRequest.get(ids.failed!)?.targetLabel).toBe(email);
    expect(byRequest.get(ids.role!)?.details).toEqual({ email, from: "viewer", to: "editor" });
  });

  it("records the client ip of the request", async () => {
    const ctx = createContextInner({ db: h.db.db, kv: h.kv, sessions, services: h.services, principal: null, clientIp: "198.51.100.7" });
    await caught(createCaller(ctx).auth.login({ email: "ip-check@test.local", password: "whatever it is" }));
    const entry = (await everything({ action: "login_failed" })).find((e) => e.requestId === ctx.requestId);
    expect(entry?.ip).toBe("198.51.100.7");
  });
});

describe("audit.list", () => {
  let projectId: string;
  beforeAll(async () => {
    const p = await h.as(h.users.editor).project.create({ name: "Audited project" });
    projectId = p.id;
    await h.as(h.users.editor).project.update({ id: p.id, expectedVersion: 1, patch: { status: "active" } });
  });

  it("merges project events with auth events", async () => {
    const all = await everything();
    const project = all.filter((e) => e.source === "project" && e.targetId === projectId);
    expect(project.map((e) => e.action)).toEqual(["updated", "created"]);
    expect(project[0]).toMatchObject({ actorId: h.users.editor.userId, actorName: "Test editor", targetType: "project", targetLabel: "Audited project" });
    expect(project[0]!.details).toMatchObject({ version: 2, changes: { status: { before: "planning", after: "active" } } });
    expect(all.some((e) => e.source === "auth")).toBe(true);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.createdAt.getTime()).toBeGreaterThanOrEqual(all[i]!.createdAt.getTime());
  });

  it("filters by actor, action and time range", async () => {
    const byEditor = await everything({ actorId: h.users.editor.userId });
    expect(byEditor.length).toBeGreaterThan(0);
    expect(byEditor.every((e) => e.actorId === h.users.editor.userId)).toBe(true);

    const updated = await everything({ action: "updated" });
    expect(updated.length).toBeGreaterThan(0);
    expect(updated.every((e) => e.action === "updated" && e.source === "project")).toBe(true);
    const created = await everything({ action: "token_created" });
    expect(created.every((e) => e.action === "token_created" && e.source === "auth")).toBe(true);

    const all = await everything();
    const pivot = all[Math.floor(all.length / 2)]!.createdAt;
    const from = await everything({ from: pivot });
    const to = await everything({ to: pivot });
    expect(from.every((e) => e.createdAt >= pivot)).toBe(true);
    expect(to.every((e) => e.createdAt < pivot)).toBe(true);
    expect(from.length + to.length).toBe(all.length);
    // REST and the CSV link send ISO strings.
    expect((await admin().audit.list({ from: pivot.toISOString() as unknown as Date, limit: 500 })).items).toEqual(from);
  });

  it("pages across both sources in time order, with ties broken the same way every time", async () => {
    // Events from both sources at one instant: the keyset order must still be total.
    const instant = new Date("2031-05-05T05:05:05.005Z");
    await h.db.db.insert(authEvents).values([1, 2, 3].map((i) => ({ action: "logout" as const, requestId: `tie-${i}`, createdAt: instant })));
    await h.db.db.insert(projectEvents).values(
      [1, 2].map((i) => ({ projectId, actorId: h.users.editor.userId, action: "updated" as const, changes: {}, version: 2, requestId: `tie-p${i}`, createdAt: instant })),
    );
    const all = await everything();
    for (const limit of [1, 2, 3, 7]) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await admin().audit.list({ limit, cursor });
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(all.map((e) => e.id));
    }
    const ties = all.filter((e) => e.createdAt.getTime() === instant.getTime()).map((e) => e.requestId);
    expect(ties).toEqual(["tie-p2", "tie-p1", "tie-3", "tie-2", "tie-1"]);
  });

  it("rejects invalid cursors and dates as bad requests", async () => {
    for (const input of [
      { cursor: "garbage" },
      { cursor: Buffer.from(JSON.stringify(["2020-01-01T00:00:00.000Z", "nope", 1])).toString("base64url") },
      { from: "yesterday" },
      { to: "+275760-09-13T00:00:00.000Z" },
      { actorId: "not-a-uuid" },
      { action: "deleted" },
    ]) {
      expect((await caught(admin().audit.list(input as never))).code).toBe("BAD_REQUEST");
    }
  });

  it("is admin-only", async () => {
    for (const role of ["viewer", "editor"] as const) {
      expect(await caught(h.as(h.users[role]).audit.list({}))).toMatchObject({ code: "FORBIDDEN", reason: "INSUFFICIENT_ROLE" });
    }
    expect(await caught(h.as(null).audit.list({}))).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("audit rows cannot be changed", () => {
  it("has no procedure that writes the audit log", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    const auditPaths = Object.keys(procedures).filter((p) => p.startsWith("audit."));
    expect(auditPaths).toEqual(["audit.list"]);
    expect(auditPaths.map((p) => procedures[p]!._def.type)).toEqual(["query"]);
  });

  it("refuses UPDATE and DELETE on both audit tables in the database", async () => {
    const before = await everything();
    const attempts = [
      () => h.db.db.update(authEvents).set({ action: "logout" }),
      () => h.db.db.delete(authEvents),
      () => h.db.db.update(projectEvents).set({ requestId: "tampered" }),
      () => h.db.db.delete(projectEvents).where(eq(projectEvents.action, "created")),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toThrow();
    }
    expect(await everything()).toEqual(before);
  });
});

describe("CSV export", () => {
  it("streams every matching row with a header, neutralizing spreadsheet formulas", async () => {
    await h.as(h.users.editor).project.create({ name: "=HYPERLINK(\"http://evil\")" });
    const ctx = createContextInner({ db: h.db.db, kv: h.kv, sessions, services: h.services, principal: h.users.admin });
    const stream = await exportAuditCsv(ctx, { actorId: h.users.editor.userId });
    let csv = "";
    for await (const chunk of stream) csv += chunk;
    const lines = csv.trimEnd().split("\n");
    expect(lines[0]).toBe("time,source,action,actor_id,actor_name,actor_email,target_type,target_id,target_label,ip,request_id,details");
    const expected = await everything({ actorId: h.users.editor.userId });
    expect(lines.length - 1).toBe(expected.length);
    expect(csv).toContain(`'=HYPERLINK(""http://evil"")`);
    expect(neutralizeFormula("@SUM(1)")).toBe("'@SUM(1)");
    expect(neutralizeFormula("plain")).toBe("plain");
  });

  it("logs a page that fails after the download started, and ends the stream with the error, not cleanly", async () => {
    // More rows than one export page (500), from an actor of their own, long before anything else.
    const [actor] = await h.db.db
      .insert(users)
      .values({ email: `export-${randomUUID().slice(0, 6)}@test.local`, name: "Exporter", role: "viewer", passwordHash: "x" })
      .returning({ id: users.id });
    await h.db.db.insert(authEvents).values(
      Array.from({ length: 501 }, (_, i) => ({
        actorId: actor!.id,
        action: "logout" as const,
        requestId: `export-${i}`,
        createdAt: new Date(Date.UTC(2001, 0, 1, 0, 0, i)),
      })),
    );
    // The database goes away once the first page is read.
    let broken = false;
    const failure = new Error("connection terminated");
    const db = new Proxy(h.db.db, {
      get(target, prop, receiver) {
        if (broken && prop === "select") throw failure;
        return Reflect.get(target, prop, receiver);
      },
    }) as Db;
    const logged: Array<{ level: string; obj: object; msg: string }> = [];
    const log = {
      error: (obj: object, msg: string) => logged.push({ level: "error", obj, msg }),
      info: (obj: object, msg: string) => logged.push({ level: "info", obj, msg }),
    };
    const ctx = createContextInner({ db, kv: h.kv, sessions, services: h.services, principal: h.users.admin, requestId: "export-req" });
    const stream = await exportAuditCsv(ctx, { actorId: actor!.id }, log);
    broken = true;

    let csv = "";
    let thrown: unknown;
    try {
      for await (const chunk of stream) csv += chunk;
    } catch (e) {
      thrown = e;
    }
    // The internal call wraps the database's error as a 500, as any procedure would.
    expect(thrown).toMatchObject({ code: "INTERNAL_SERVER_ERROR", cause: failure });
    expect(stream.destroyed).toBe(true);
    expect(stream.errored).toBe(thrown);
    // The first page went out before the failure, the rest never did.
    expect(csv.trimEnd().split("\n")).toHaveLength(1 + 500);
    expect(logged).toEqual([{ level: "error", obj: { err: thrown, requestId: "export-req" }, msg: "audit export failed after the download started" }]);
  });

  it("notes a download the client abandoned, without calling it a failure", async () => {
    const logged: string[] = [];
    const log = { error: (_: object, msg: string) => logged.push(`error: ${msg}`), info: (_: object, msg: string) => logged.push(`info: ${msg}`) };
    const ctx = createContextInner({ db: h.db.db, kv: h.kv, sessions, services: h.services, principal: h.users.admin });
    const stream = await exportAuditCsv(ctx, {}, log);
    // What the host does when the connection closes mid-download.
    stream.once("data", () => stream.destroy());
    await expect.poll(() => logged).toEqual(["info: audit export abandoned by the client"]);
  });

  it("refuses non-admins before streaming anything", async () => {
    const ctx = createContextInner({ db: h.db.db, kv: h.kv, sessions, services: h.services, principal: h.users.editor });
    expect(await caught(exportAuditCsv(ctx, {}))).toMatchObject({ code: "FORBIDDEN" });
  });
});
