import { randomUUID } from "node:crypto";
import { appRouter } from "@trellis/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpc } from "../test/trpc-http.js";
import { startTestServer, type TestServer } from "./testing.js";

/**
 * The permission matrix: every procedure of the router × every kind of caller, over HTTP on the
 * tRPC surface. A procedure added to the router without a row here fails the first test.
 *
 * "allow" means the call got past authentication and authorization: any answer but 401/403 (inputs
 * are chosen so most succeed; some write to a random id and get 404, or send a wrong password and
 * get 400, which leaves the fixtures as they are).
 */
type Caller = "signedOut" | "viewer" | "editor" | "admin" | "readToken" | "writeToken" | "revokedToken" | "deactivatedUser";
type Outcome = "allow" | 401 | 403;
type Kind = "query" | "mutation" | "subscription";

/** Who may call what, by the procedure builder each procedure is made with. */
const policies = {
  // Anyone (a refused credential counts as signed out); a read token may still not mutate.
  publicMutation: { signedOut: "allow", viewer: "allow", editor: "allow", admin: "allow", readToken: 403, writeToken: "allow", revokedToken: "allow", deactivatedUser: "allow" },
  signedIn: { signedOut: 401, viewer: "allow", editor: "allow", admin: "allow", readToken: "allow", writeToken: "allow", revokedToken: 401, deactivatedUser: 401 },
  writer: { signedOut: 401, viewer: 403, editor: "allow", admin: "allow", readToken: 403, writeToken: "allow", revokedToken: 401, deactivatedUser: 401 },
  // Any role, about the caller's own records (cancelling one's own job); a read token may not.
  ownRecord: { signedOut: 401, viewer: "allow", editor: "allow", admin: "allow", readToken: 403, writeToken: "allow", revokedToken: 401, deactivatedUser: 401 },
  credential: { signedOut: 401, viewer: "allow", editor: "allow", admin: "allow", readToken: 403, writeToken: 403, revokedToken: 401, deactivatedUser: 401 },
  adminRead: { signedOut: 401, viewer: 403, editor: 403, admin: "allow", readToken: "allow", writeToken: "allow", revokedToken: 401, deactivatedUser: 401 },
  // Browser sessions only: a leaked admin token cannot invite an admin or lock the owner out.
  adminWrite: { signedOut: 401, viewer: 403, editor: 403, admin: "allow", readToken: 403, writeToken: 403, revokedToken: 401, deactivatedUser: 401 },
} as const satisfies Record<string, Record<Caller, Outcome>>;

const nobody = () => randomUUID();
let projectId: string;

const matrix: Record<string, { kind: Kind; policy: keyof typeof policies; input: () => unknown }> = {
  "auth.login": { kind: "mutation", policy: "publicMutation", input: () => ({ email: t.users.viewer.email, password: t.users.viewer.password }) },
  "auth.logout": { kind: "mutation", policy: "publicMutation", input: () => undefined },
  "auth.me": { kind: "query", policy: "signedIn", input: () => undefined },
  "auth.changePassword": { kind: "mutation", policy: "credential", input: () => ({ currentPassword: "not the password", newPassword: "a new long password" }) },
  "project.list": { kind: "query", policy: "signedIn", input: () => ({}) },
  "project.stats": { kind: "query", policy: "signedIn", input: () => undefined },
  "project.byId": { kind: "query", policy: "signedIn", input: () => ({ id: projectId }) },
  "project.activity": { kind: "query", policy: "signedIn", input: () => ({ id: projectId }) },
  "project.history": { kind: "query", policy: "signedIn", input: () => ({ id: projectId }) },
  "project.changes": { kind: "subscription", policy: "signedIn", input: () => undefined },
  "project.create": { kind: "mutation", policy: "writer", input: () => ({ name: "Matrix" }) },
  "project.update": { kind: "mutation", policy: "writer", input: () => ({ id: nobody(), expectedVersion: 1, patch: { name: "x" } }) },
  "project.archive": { kind: "mutation", policy: "writer", input: () => ({ id: nobody(), expectedVersion: 1 }) },
  "project.restore": { kind: "mutation", policy: "writer", input: () => ({ id: nobody(), expectedVersion: 1 }) },
  "project.revert": { kind: "mutation", policy: "writer", input: () => ({ id: nobody(), toVersion: 1, expectedVersion: 1 }) },
  "project.bulk": { kind: "mutation", policy: "writer", input: () => ({ change: { action: "archive" }, selection: { ids: [{ id: nobody(), expectedVersion: 1 }] } }) },
  "job.list": { kind: "query", policy: "signedIn", input: () => ({}) },
  "job.byId": { kind: "query", policy: "signedIn", input: () => ({ id: nobody() }) },
  "job.items": { kind: "query", policy: "signedIn", input: () => ({ id: nobody() }) },
  "job.events": { kind: "query", policy: "signedIn", input: () => ({ id: nobody() }) },
  "job.progress": { kind: "subscription", policy: "signedIn", input: () => ({ id: nobody() }) },
  "job.cancel": { kind: "mutation", policy: "ownRecord", input: () => ({ id: nobody() }) },
  "job.retry": { kind: "mutation", policy: "writer", input: () => ({ id: nobody() }) },
  "user.list": { kind: "query", policy: "signedIn", input: () => undefined },
  "token.list": { kind: "query", policy: "signedIn", input: () => undefined },
  "token.create": { kind: "mutation", policy: "credential", input: () => ({ name: "matrix", scope: "read", expiresInDays: 1 }) },
  "token.revoke": { kind: "mutation", policy: "credential", input: () => ({ id: nobody() }) },
  "admin.users.list": { kind: "query", policy: "adminRead", input: () => ({}) },
  "admin.users.invite": { kind: "mutation", policy: "adminWrite", input: () => ({ email: `matrix-${nobody()}@test.local`, name: "Matrix", role: "viewer" }) },
  "admin.users.setRole": { kind: "mutation", policy: "adminWrite", input: () => ({ id: nobody(), role: "viewer" }) },
  "admin.users.deactivate": { kind: "mutation", policy: "adminWrite", input: () => ({ id: nobody() }) },
  "admin.users.reactivate": { kind: "mutation", policy: "adminWrite", input: () => ({ id: nobody() }) },
  "admin.users.revokeSessions": { kind: "mutation", policy: "adminWrite", input: () => ({ id: nobody() }) },
  "audit.list": { kind: "query", policy: "adminRead", input: () => ({}) },
  "import.upload": { kind: "mutation", policy: "writer", input: () => ({ filename: "matrix.csv", base64: Buffer.from("name\nMatrix import\n").toString("base64") }) },
  "import.byId": { kind: "query", policy: "signedIn", input: () => ({ id: nobody() }) },
  "import.dryRun": { kind: "mutation", policy: "writer", input: () => ({ uploadId: nobody() }) },
  "import.run": { kind: "mutation", policy: "writer", input: () => ({ uploadId: nobody(), overwriteChanged: false }) },
  "project.export": { kind: "mutation", policy: "ownRecord", input: () => ({}) },
};

let t: TestServer;
const bearer: Partial<Record<Caller, string>> = {};

async function mutate(path: string, input: unknown, token: string) {
  const r = await trpc(t.url, "mutation", path, input, { bearer: token });
  if (r.status !== 200) throw new Error(`${path} failed: ${r.status} ${JSON.stringify(r.error)}`);
  return r.data;
}

beforeAll(async () => {
  t = await startTestServer();
  for (const role of ["viewer", "editor", "admin"] as const) bearer[role] = await t.tokenFor(role);
  const sessionOf = async (email: string, password: string) =>
    (await trpc(t.url, "mutation", "auth.login", { email, password })).data.token as string;
  // The admin's read-only token: scope, not role, must refuse its writes.
  bearer.readToken = (await mutate("token.create", { name: "read", scope: "read", expiresInDays: 1 }, bearer.admin!)).token;
  // The admin's read+write token: it may do what the admin's role allows, except manage credentials and users.
  bearer.writeToken = (await mutate("token.create", { name: "write", scope: "read+write", expiresInDays: 1 }, bearer.admin!)).token;
  const revoked = await mutate("token.create", { name: "revoked", scope: "read+write", expiresInDays: 1 }, bearer.admin!);
  await mutate("token.revoke", { id: revoked.id }, bearer.admin!);
  bearer.revokedToken = revoked.token;
  // A deactivated admin, still holding the session token from before.
  const invited = await mutate("admin.users.invite", { email: `deactivated-${nobody()}@test.local`, name: "Gone", role: "admin" }, bearer.admin!);
  bearer.deactivatedUser = await sessionOf(invited.user.email, invited.temporaryPassword);
  await mutate("admin.users.deactivate", { id: invited.user.id }, bearer.admin!);
  projectId = (await mutate("project.create", { name: "Matrix fixture" }, bearer.editor!)).id;
});
afterAll(() => t?.close());

describe("permission matrix", () => {
  it("has a row for every procedure of the router", () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: Kind } }>;
    expect(Object.keys(matrix).sort()).toEqual(Object.keys(procedures).sort());
    for (const [path, row] of Object.entries(matrix)) expect({ path, kind: procedures[path]!._def.type }).toEqual({ path, kind: row.kind });
  });

  const callers: Caller[] = ["signedOut", "viewer", "editor", "admin", "readToken", "writeToken", "revokedToken", "deactivatedUser"];
  // Logging out ends the caller's session, so it goes last.
  const paths = Object.keys(matrix).sort((a, b) => Number(a === "auth.logout") - Number(b === "auth.logout"));

  it.each(paths)("%s", async (path) => {
    const row = matrix[path]!;
    const expected = policies[row.policy];
    const actual: Record<string, unknown> = {};
    for (const caller of callers) {
      const reply = await trpc(t.url, row.kind, path, row.input(), { bearer: bearer[caller] });
      const outcome = reply.status === 401 || reply.status === 403 ? reply.status : "allow";
      // A denial says why; an "allow" is never a server error.
      actual[caller] = outcome === "allow" && reply.status >= 500 ? `error ${reply.status}` : outcome;
      if (outcome === 401) expect(reply.error?.data?.reason).toBe("SIGNED_OUT");
      if (outcome === 403) expect(["INSUFFICIENT_ROLE", "INSUFFICIENT_SCOPE", "SESSION_REQUIRED"]).toContain(reply.error?.data?.reason);
    }
    expect(actual).toEqual(expected);
  });
});
