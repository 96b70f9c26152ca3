import { randomUUID } from "node:crypto";
import { hashApiToken, SESSION_COOKIE } from "@trellis/api";
import { apiTokens } from "@trellis/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../test/http.js";
import { cookieFrom, trpc } from "../test/trpc-http.js";
import { type Peer, startPeer, startTestServer, type TestServer } from "./testing.js";

// Sessions and API tokens over HTTP, on two instances sharing the database and the kv store
// (Redis when REDIS_URL is set): a revocation on one is refused on the next request to either.
let a: TestServer;
let b: Peer;
beforeAll(async () => {
  a = await startTestServer();
  b = await startPeer(a);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

const csrf = { "x-trellis-csrf": "1" };

/** Signs in through tRPC like the dashboard; returns the session cookie. */
async function browserSignIn(email: string, password: string): Promise<string> {
  const r = await trpc(a.url, "mutation", "auth.login", { email, password });
  expect(r.status).toBe(200);
  const cookie = cookieFrom(r.headers, SESSION_COOKIE);
  expect(cookie).toBeDefined();
  expect(r.headers.getSetCookie().join("\n")).toMatch(/HttpOnly/i);
  expect(r.headers.getSetCookie().join("\n")).toMatch(/SameSite=Lax/i);
  return cookie!;
}

const me = (url: string, opts: { cookie?: string; bearer?: string }) => trpc(url, "query", "auth.me", undefined, opts);

describe("sessions over HTTP", () => {
  it("refuses the cookie and the bearer token on the next request after logout, on both instances", async () => {
    const cookie = await browserSignIn(a.users.viewer.email, a.users.viewer.password);
    const token = decodeURIComponent(cookie.split("=")[1]!);
    for (const url of [a.url, b.url]) {
      expect((await me(url, { cookie })).status).toBe(200);
      expect((await me(url, { bearer: token })).status).toBe(200);
    }
    const out = await trpc(b.url, "mutation", "auth.logout", undefined, { cookie, headers: csrf });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().join("\n")).toMatch(new RegExp(`${SESSION_COOKIE}=;`));
    for (const url of [a.url, b.url]) {
      const refused = await me(url, { cookie });
      expect(refused.status).toBe(401);
      expect(refused.error.data.reason).toBe("SIGNED_OUT");
      expect((await me(url, { bearer: token })).status).toBe(401);
    }
  });

  it("marks the cookie Secure when COOKIE_SECURE is on", async () => {
    const secure = await startTestServer({ config: { COOKIE_SECURE: "true" } });
    try {
      const r = await trpc(secure.url, "mutation", "auth.login", { email: secure.users.viewer.email, password: secure.users.viewer.password });
      expect(r.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/;\s*Secure/i);
    } finally {
      await secure.close();
    }
    const plain = await trpc(a.url, "mutation", "auth.login", { email: a.users.viewer.email, password: a.users.viewer.password });
    expect(plain.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))).not.toMatch(/;\s*Secure/i);
  });

  it("changes the password over HTTP and signs out the other session on both instances", async () => {
    const invited = await trpc(a.url, "mutation", "admin.users.invite", { email: `pw-${randomUUID()}@test.local`, name: "Pw", role: "viewer" }, { bearer: await a.tokenFor("admin") });
    const { email } = invited.data.user;
    const temp = invited.data.temporaryPassword;
    const here = await browserSignIn(email, temp);
    const there = await browserSignIn(email, temp);
    const changed = await trpc(a.url, "mutation", "auth.changePassword", { currentPassword: temp, newPassword: "my new long password" }, { cookie: here, headers: csrf });
    expect(changed.data).toEqual({ ok: true, sessionsRevoked: 1 });
    expect((await me(b.url, { cookie: there })).status).toBe(401);
    expect((await me(b.url, { cookie: here })).status).toBe(200);
  });

  it("stops a deactivated user's session and API token at once, on both instances", async () => {
    const adminToken = await a.tokenFor("admin");
    const invited = await trpc(a.url, "mutation", "admin.users.invite", { email: `off-${randomUUID()}@test.local`, name: "Off", role: "editor" }, { bearer: adminToken });
    const cookie = await browserSignIn(invited.data.user.email, invited.data.temporaryPassword);
    const pat = (await trpc(a.url, "mutation", "token.create", { name: "ci", scope: "read+write", expiresInDays: 5 }, { cookie, headers: csrf })).data.token;
    for (const url of [a.url, b.url]) {
      expect((await me(url, { cookie })).status).toBe(200);
      expect((await call(`${url}/api/v1/projects?limit=1`, { token: pat })).status).toBe(200);
    }
    expect((await trpc(b.url, "mutation", "admin.users.deactivate", { id: invited.data.user.id }, { bearer: adminToken })).status).toBe(200);
    for (const url of [a.url, b.url]) {
      expect((await me(url, { cookie })).status).toBe(401);
      expect((await call(`${url}/api/v1/projects?limit=1`, { token: pat })).status).toBe(401);
      expect((await trpc(url, "query", "project.list", {}, { bearer: pat })).status).toBe(401);
    }
  });
});

describe("API tokens over HTTP", () => {
  let cookie: string;
  beforeAll(async () => {
    cookie = await browserSignIn(a.users.editor.email, a.users.editor.password);
  });
  const create = async (scope: "read" | "read+write", name = `t-${randomUUID().slice(0, 8)}`) => {
    const r = await trpc(a.url, "mutation", "token.create", { name, scope, expiresInDays: 30 }, { cookie, headers: csrf });
    expect(r.status).toBe(200);
    return r.data as { id: string; token: string; name: string };
  };
  const restCreate = (pat: string) => call(`${a.url}/api/v1/projects`, { token: pat, key: randomUUID(), body: { name: "Via token" } });

  it("authenticates on REST and tRPC, and is listed without its secret", async () => {
    const pat = await create("read+write");
    const rest = await call(`${a.url}/api/v1/auth/me`, { token: pat.token });
    expect(rest.status).toBe(200);
    expect(rest.body.id).toBe(a.users.editor.id);
    expect((await trpc(b.url, "query", "auth.me", undefined, { bearer: pat.token })).data.id).toBe(a.users.editor.id);
    expect((await restCreate(pat.token)).status).toBe(200);
    const listed = await call(`${a.url}/api/v1/tokens`, { token: pat.token });
    expect(listed.status).toBe(200);
    expect(listed.body.find((t: { id: string }) => t.id === pat.id)).toMatchObject({ name: pat.name, scope: "read+write" });
    expect(listed.body.find((t: { id: string }) => t.id === pat.id).lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(pat.token);
  });

  it("refuses every write to a read-scoped token with 403 on both surfaces", async () => {
    const pat = await create("read");
    expect((await call(`${a.url}/api/v1/projects?limit=1`, { token: pat.token })).status).toBe(200);
    const rest = await restCreate(pat.token);
    expect(rest.status).toBe(403);
    expect(rest.body.data.reason).toBe("INSUFFICIENT_SCOPE");
    const viaTrpc = await trpc(a.url, "mutation", "project.create", { name: "never" }, { bearer: pat.token });
    expect(viaTrpc.status).toBe(403);
    expect(viaTrpc.error.data.reason).toBe("INSUFFICIENT_SCOPE");
  });

  it("is refused on the next request after revocation, on both instances and surfaces", async () => {
    const pat = await create("read+write");
    for (const url of [a.url, b.url]) expect((await call(`${url}/api/v1/projects?limit=1`, { token: pat.token })).status).toBe(200);
    const revoked = await call(`${b.url}/api/v1/tokens/${pat.id}/revoke`, { method: "POST", token: await a.tokenFor("editor"), body: {} });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).not.toBeNull();
    for (const url of [a.url, b.url]) {
      expect((await call(`${url}/api/v1/projects?limit=1`, { token: pat.token })).status).toBe(401);
      expect((await trpc(url, "query", "project.list", {}, { bearer: pat.token })).status).toBe(401);
    }
  });

  it("is refused once expired", async () => {
    const pat = await create("read");
    expect((await call(`${a.url}/api/v1/projects?limit=1`, { token: pat.token })).status).toBe(200);
    await a.db.db.update(apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiTokens.id, pat.id));
    // The cached check would let it through for a few seconds more; expiry is not a revocation, so drop the entry here.
    await a.kv.del(`auth:token:${hashApiToken(pat.token)}`);
    expect((await call(`${a.url}/api/v1/projects?limit=1`, { token: pat.token })).status).toBe(401);
    expect((await trpc(b.url, "query", "auth.me", undefined, { bearer: pat.token })).status).toBe(401);
  });

  it("cannot create tokens with a token, even read+write", async () => {
    const pat = await create("read+write");
    const r = await call(`${a.url}/api/v1/tokens`, { token: pat.token, body: { name: "child", scope: "read", expiresInDays: 1 } });
    expect(r.status).toBe(403);
    expect(r.body.data.reason).toBe("SESSION_REQUIRED");
  });
});

describe("GET /api/v1/audit/export.csv", () => {
  it("streams CSV to admins with the filters of audit.list", async () => {
    const adminToken = await a.tokenFor("admin");
    const res = await fetch(`${a.url}/api/v1/audit/export.csv?action=login_succeeded&actorId=${a.users.admin.id}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="trellis-audit-.*\.csv"/);
    const lines = (await res.text()).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^time,source,action,actor_id/);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(1)) expect(line).toContain(`,auth,login_succeeded,${a.users.admin.id},`);
  });

  it("answers 401, 403 and 400 like the API", async () => {
    const url = `${a.url}/api/v1/audit/export.csv`;
    expect((await fetch(url)).status).toBe(401);
    const editor = await fetch(url, { headers: { authorization: `Bearer ${await a.tokenFor("editor")}` } });
    expect(editor.status).toBe(403);
    expect(((await editor.json()) as { data: { reason: string } }).data.reason).toBe("INSUFFICIENT_ROLE");
    const bad = await fetch(`${url}?from=yesterday`, { headers: { authorization: `Bearer ${await a.tokenFor("admin")}` } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { data: { fieldErrors: Record<string, string[]> } }).data.fieldErrors).toHaveProperty("from");
  });
});
