import { jobs } from "@trellis/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { trpc } from "../test/trpc-http.js";
import { startTestServer, type TestServer } from "./testing.js";

// The job surfaces over HTTP: 202 + Location for requests that start a job (exactly once per
// Idempotency-Key, on REST and tRPC), the job commands' 404/409 answers, and the OpenAPI document.
// Nothing runs jobs in this server, so a started job stays queued: what is under test is the
// surface, not the engine (packages/api/src/routers/job/job.int.test.ts runs one).

let t: TestServer;
const token: Record<"viewer" | "editor" | "admin", string> = { viewer: "", editor: "", admin: "" };
let projectId: string;
const api = (path: string) => `${t.url}/api/v1${path}`;

beforeAll(async () => {
  t = await startTestServer();
  for (const role of ["viewer", "editor", "admin"] as const) token[role] = await t.tokenFor(role);
  projectId = (await call(api("/projects"), { token: token.editor, key: newKey(), body: { name: "Bulk target" } })).body.id;
});
afterAll(() => t?.close());

const bulkBody = (q = "x") => ({ change: { action: "setStatus", status: "active" }, selection: { filter: { q } } });
const jobRows = async (q: string) =>
  t.db.db.select({ id: jobs.id }).from(jobs).where(sql`${jobs.input}->'selection'->'filter'->>'q' = ${q}`);

describe("POST /projects/bulk", () => {
  it("answers 202 with the job and a Location; a replay of the key answers the same job, and one row exists", async () => {
    const key = newKey();
    const q = `rest-${key}`;
    const first = await call(api("/projects/bulk"), { token: token.editor, key, body: bulkBody(q) });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ kind: "project.bulk", state: "queued", createdBy: t.users.editor.id, error: null });
    expect(first.headers.get("location")).toBe(`/api/v1/jobs/${first.body.id}`);
    const replay = await call(api("/projects/bulk"), { token: token.editor, key, body: bulkBody(q) });
    expect(replay.status).toBe(202);
    expect(replay.headers.get("location")).toBe(first.headers.get("location"));
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body).toEqual(first.body);
    expect(await jobRows(q)).toEqual([{ id: first.body.id }]);

    const location = await call(`${t.url}${first.headers.get("location")}`, { token: token.editor });
    expect(location.status).toBe(200);
    expect(location.body.id).toBe(first.body.id);
  });

  it("is exactly once over tRPC too: the same key answers the same job", async () => {
    const key = newKey();
    const q = `trpc-${key}`;
    const send = () => trpc(t.url, "mutation", "project.bulk", bulkBody(q), { bearer: token.editor, headers: { "idempotency-key": key } });
    const [a, b] = [await send(), await send()];
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(b.data.id).toBe(a.data.id);
    expect(b.headers.get("idempotent-replayed")).toBe("true");
    expect(await jobRows(q)).toHaveLength(1);
  });

  it("needs a key on REST, and an editor", async () => {
    const q = `refused-${newKey()}`;
    const keyless = await call(api("/projects/bulk"), { token: token.editor, body: bulkBody(q) });
    expect({ status: keyless.status, reason: keyless.body.data.reason }).toEqual({ status: 400, reason: "IDEMPOTENCY_KEY_REQUIRED" });
    const viewer = await call(api("/projects/bulk"), { token: token.viewer, key: newKey(), body: bulkBody(q) });
    expect({ status: viewer.status, reason: viewer.body.data.reason }).toEqual({ status: 403, reason: "INSUFFICIENT_ROLE" });
    const invalid = await call(api("/projects/bulk"), { token: token.editor, key: newKey(), body: { change: { action: "explode" }, selection: { ids: [] } } });
    expect(invalid.status).toBe(400);
    expect(await jobRows(q)).toEqual([]);
  });
});

describe("GET / DELETE /jobs, POST /jobs/{id}/retry", () => {
  it("cancels (200), refuses a second cancel (409 + jobState), retries (202 + Location), refuses a second retry (409)", async () => {
    const started = await call(api("/projects/bulk"), { token: token.editor, key: newKey(), body: { change: { action: "archive" }, selection: { ids: [{ id: projectId, expectedVersion: 1 }] } } });
    const id: string = started.body.id;

    const cancelled = await call(api(`/jobs/${id}`), { method: "DELETE", token: token.editor, key: newKey() });
    expect({ status: cancelled.status, state: cancelled.body.state }).toEqual({ status: 200, state: "cancelled" });
    const again = await call(api(`/jobs/${id}`), { method: "DELETE", token: token.editor, key: newKey() });
    expect({ status: again.status, reason: again.body.data.reason, jobState: again.body.data.jobState }).toEqual({ status: 409, reason: "JOB_ALREADY_FINISHED", jobState: "cancelled" });

    const retried = await call(api(`/jobs/${id}/retry`), { method: "POST", token: token.editor, key: newKey(), body: {} });
    expect({ status: retried.status, state: retried.body.state, location: retried.headers.get("location") }).toEqual({ status: 202, state: "queued", location: `/api/v1/jobs/${id}` });
    const notRetryable = await call(api(`/jobs/${id}/retry`), { method: "POST", token: token.editor, key: newKey(), body: {} });
    expect({ status: notRetryable.status, reason: notRetryable.body.data.reason, jobState: notRetryable.body.data.jobState }).toEqual({ status: 409, reason: "JOB_NOT_RETRYABLE", jobState: "queued" });

    const [row] = await t.db.db.select().from(jobs).where(eq(jobs.id, id));
    expect(row).toMatchObject({ state: "queued", generation: 1 });
  });

  it("answers 404 JOB_NOT_FOUND for an unknown job and for someone else's, on every job operation", async () => {
    const theirs = (await call(api("/projects/bulk"), { token: token.admin, key: newKey(), body: bulkBody(`admins-${newKey()}`) })).body.id as string;
    for (const id of [theirs, crypto.randomUUID()]) {
      for (const [method, path] of [["GET", `/jobs/${id}`], ["GET", `/jobs/${id}/items`], ["GET", `/jobs/${id}/events`], ["DELETE", `/jobs/${id}`], ["POST", `/jobs/${id}/retry`]] as const) {
        // A POST carries a JSON body, even an empty one (the REST adapter refuses a POST without a content type).
        const r = await call(api(path), { method, token: token.editor, key: newKey(), ...(method === "POST" && { body: {} }) });
        expect({ method, path, status: r.status, reason: r.body.data.reason }).toEqual({ method, path, status: 404, reason: "JOB_NOT_FOUND" });
      }
    }
    // The admin sees it.
    expect((await call(api(`/jobs/${theirs}`), { token: token.admin })).status).toBe(200);
  });

  it("lists mine with filters from the query string; scope=all is for admins", async () => {
    const mine = await call(api("/jobs?states=queued&states=cancelled&limit=100"), { token: token.editor });
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.items.every((j: { createdBy: string; state: string }) => j.createdBy === t.users.editor.id && ["queued", "cancelled"].includes(j.state))).toBe(true);
    const refused = await call(api("/jobs?scope=all"), { token: token.editor });
    expect({ status: refused.status, reason: refused.body.data.reason }).toEqual({ status: 403, reason: "INSUFFICIENT_ROLE" });
    const all = await call(api("/jobs?scope=all&limit=100"), { token: token.admin });
    expect(new Set(all.body.items.map((j: { createdBy: string }) => j.createdBy))).toEqual(new Set([t.users.editor.id, t.users.admin.id]));
    const viewer = await call(api("/jobs"), { token: token.viewer });
    expect(viewer.body).toEqual({ items: [], nextCursor: null });
  });
});

describe("the OpenAPI document", () => {
  it("describes the job operations, with 202 + Location for those that start a job", async () => {
    const doc = (await call(api("/openapi.json"))).body;
    expect(Object.keys(doc.paths["/jobs/{id}"]).sort()).toEqual(["delete", "get"]);
    for (const path of ["/jobs", "/jobs/{id}/items", "/jobs/{id}/events"]) expect(doc.paths[path]).toHaveProperty("get");
    for (const path of ["/projects/bulk", "/jobs/{id}/retry"]) {
      const responses = doc.paths[path].post.responses;
      expect(responses).not.toHaveProperty("200");
      expect(responses["202"].headers).toHaveProperty("Location");
      expect(responses["202"].content["application/json"].schema.properties).toHaveProperty("state");
    }
    expect(doc.paths["/jobs/{id}"].delete.responses).toHaveProperty("409");
    expect(doc.tags.map((tag: { name: string }) => tag.name)).toContain("jobs");
  });
});
