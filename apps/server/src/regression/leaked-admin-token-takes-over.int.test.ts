import { users } from "@trellis/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../../test/http.js";
import { trpc } from "../../test/trpc-http.js";
import { startTestServer, type TestServer } from "../testing.js";

// With only a leaked admin API token (read+write), an attacker could POST /api/v1/admin/users
// with role admin (getting a temporary password), sign in as that new admin, and deactivate the
// owner. Admin user-management writes now need a browser session, like token creation does.

let t: TestServer;
let adminSession: string;
let leaked: string;
beforeAll(async () => {
  t = await startTestServer();
  adminSession = await t.tokenFor("admin");
  const created = await call(`${t.url}/api/v1/tokens`, {
    token: adminSession,
    key: newKey(),
    body: { name: "ci script", scope: "read+write", expiresInDays: 30 },
  });
  expect(created.status).toBe(200);
  leaked = created.body.token;
});
afterAll(() => t?.close());

const owner = () => t.users.admin.id;

describe("a leaked admin API token", () => {
  it("cannot invite, promote, deactivate, reactivate or sign out anyone, on REST or tRPC, and changes nothing", async () => {
    const attempts = [
      { path: "/admin/users", body: { email: "attacker@test.local", name: "Attacker", role: "admin" } },
      { path: `/admin/users/${owner()}/role`, body: { role: "viewer" } },
      { path: `/admin/users/${owner()}/deactivate`, body: {} },
      { path: `/admin/users/${owner()}/reactivate`, body: {} },
      { path: `/admin/users/${owner()}/revoke-sessions`, body: {} },
    ];
    for (const { path, body } of attempts) {
      const r = await call(`${t.url}/api/v1${path}`, { token: leaked, key: newKey(), body });
      expect({ path, status: r.status, reason: r.body?.data?.reason }).toEqual({ path, status: 403, reason: "SESSION_REQUIRED" });
    }
    const viaTrpc = await trpc(t.url, "mutation", "admin.users.invite", { email: "attacker2@test.local", name: "Attacker", role: "admin" }, { bearer: leaked });
    expect({ status: viaTrpc.status, reason: viaTrpc.error?.data?.reason }).toEqual({ status: 403, reason: "SESSION_REQUIRED" });
    const deactivate = await trpc(t.url, "mutation", "admin.users.deactivate", { id: owner() }, { bearer: leaked });
    expect(deactivate.status).toBe(403);

    expect(await t.db.db.select().from(users).where(eq(users.email, "attacker@test.local"))).toEqual([]);
    const [me] = await t.db.db.select().from(users).where(eq(users.id, owner()));
    expect(me).toMatchObject({ role: "admin", deactivatedAt: null });
    // The owner is still signed in, and the token still reads what an admin may read.
    expect((await call(`${t.url}/api/v1/auth/me`, { token: adminSession })).status).toBe(200);
    expect((await call(`${t.url}/api/v1/admin/users`, { token: leaked })).status).toBe(200);
  });

  it("leaves user management to the admin's browser session", async () => {
    const invited = await call(`${t.url}/api/v1/admin/users`, {
      token: adminSession,
      key: newKey(),
      body: { email: "colleague@test.local", name: "Colleague", role: "viewer" },
    });
    expect(invited.status).toBe(200);
    expect(invited.body.temporaryPassword).toEqual(expect.any(String));
  });
});
