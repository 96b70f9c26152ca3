import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { startTestServer, type TestServer } from "./testing.js";

let t: TestServer;
let editor: string;
beforeAll(async () => {
  t = await startTestServer();
  editor = await t.tokenFor("editor");
});
afterAll(() => t?.close());

/** PATCH/POST with optional If-Match; every write gets its own Idempotency-Key. */
async function write(path: string, body: unknown, opts: { ifMatch?: string; token?: string; method?: string } = {}) {
  const res = await fetch(`${t.url}/api/v1${path}`, {
    method: opts.method ?? "PATCH",
    headers: {
      authorization: `Bearer ${opts.token ?? editor}`,
      "content-type": "application/json",
      "idempotency-key": newKey(),
      ...(opts.ifMatch !== undefined ? { "if-match": opts.ifMatch } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get("etag"), body: text ? JSON.parse(text) : undefined };
}

async function newProject(name: string, extra: Record<string, unknown> = {}) {
  const r = await call(`${t.url}/api/v1/projects`, { token: editor, key: newKey(), body: { name, ...extra } });
  expect(r.status).toBe(200);
  return r.body as { id: string; version: number };
}

describe("REST preconditions", () => {
  it("are declared in the OpenAPI document", async () => {
    const doc = (await call(`${t.url}/api/v1/openapi.json`)).body;
    const patch = doc.paths["/projects/{id}"].patch;
    expect(patch.parameters).toContainEqual(expect.objectContaining({ in: "header", name: "If-Match" }));
    expect(Object.keys(patch.responses)).toEqual(expect.arrayContaining(["412", "428"]));
  });

  it("serves a strong ETag from the version, and 304 for If-None-Match", async () => {
    const p = await newProject("ETag");
    const got = await fetch(`${t.url}/api/v1/projects/${p.id}`, { headers: { authorization: `Bearer ${editor}` } });
    expect(got.headers.get("etag")).toBe('"1"');
    const cached = await fetch(`${t.url}/api/v1/projects/${p.id}`, {
      headers: { authorization: `Bearer ${editor}`, "if-none-match": '"1"' },
    });
    expect(cached.status).toBe(304);
    expect(await cached.text()).toBe("");
    const weakStillMatches = await fetch(`${t.url}/api/v1/projects/${p.id}`, {
      headers: { authorization: `Bearer ${editor}`, "if-none-match": 'W/"1"' },
    });
    expect(weakStillMatches.status).toBe(304);
    const changed = await fetch(`${t.url}/api/v1/projects/${p.id}`, {
      headers: { authorization: `Bearer ${editor}`, "if-none-match": '"0", "7"' },
    });
    expect(changed.status).toBe(200);
  });

  it("applies a matching If-Match and returns the new ETag; a stale one is 412 with the current state", async () => {
    const p = await newProject("If-Match");
    const ok = await write(`/projects/${p.id}`, { patch: { status: "active" } }, { ifMatch: '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.etag).toBe('"2"');
    const stale = await write(`/projects/${p.id}`, { patch: { status: "on_hold" } }, { ifMatch: '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.data).toMatchObject({ reason: "VERSION_MISMATCH", currentVersion: 2, currentEtag: '"2"' });
    expect(stale.body.data.current).toMatchObject({ id: p.id, status: "active", version: 2 });
  });

  it("never matches a weak validator, and lets * match any existing version", async () => {
    const p = await newProject("Weak");
    const weak = await write(`/projects/${p.id}`, { patch: { name: "Weak 2" } }, { ifMatch: 'W/"1"' });
    expect(weak.status).toBe(412);
    const star = await write(`/projects/${p.id}`, { patch: { name: "Star" } }, { ifMatch: "*" });
    expect(star.status).toBe(200);
    expect(star.body).toMatchObject({ name: "Star", version: 2 });
    const archive = await write(`/projects/${p.id}/archive`, {}, { ifMatch: '"2"', method: "POST" });
    expect(archive.status).toBe(200);
    expect(archive.etag).toBe('"3"');
    const restoreStale = await write(`/projects/${p.id}/restore`, {}, { ifMatch: '"2"', method: "POST" });
    expect(restoreStale.status).toBe(412);
  });

  it("answers 428 when a versioned write carries neither If-Match nor expectedVersion", async () => {
    const p = await newProject("Required");
    const missing = await write(`/projects/${p.id}`, { patch: { name: "x" } });
    expect(missing.status).toBe(428);
    expect(missing.body.data.reason).toBe("PRECONDITION_REQUIRED");
    expect((await write(`/projects/${p.id}/archive`, {}, { method: "POST" })).status).toBe(428);
    // expectedVersion in the body still works, and a stale one is a 409 conflict.
    expect((await write(`/projects/${p.id}`, { expectedVersion: 1, patch: { name: "Body" } })).status).toBe(200);
    expect((await write(`/projects/${p.id}`, { expectedVersion: 1, patch: { name: "Body 2" } })).status).toBe(409);
    // Both, disagreeing: a clear 400.
    expect((await write(`/projects/${p.id}`, { expectedVersion: 2, patch: { name: "Both" } }, { ifMatch: '"1"' })).status).toBe(400);
  });

  it("lets 404 and 403 win over any precondition", async () => {
    const unknown = "33333333-3333-4333-8333-333333333333";
    expect((await write(`/projects/${unknown}`, { patch: { name: "x" } }, { ifMatch: '"99"' })).status).toBe(404);
    expect((await write(`/projects/${unknown}`, { patch: { name: "x" } }, { ifMatch: "*" })).status).toBe(404);
    const p = await newProject("Forbidden");
    const viewer = await t.tokenFor("viewer");
    expect((await write(`/projects/${p.id}`, { patch: { name: "x" } }, { ifMatch: '"99"', token: viewer })).status).toBe(403);
    expect((await write(`/projects/${p.id}`, { patch: { name: "x" } }, { token: viewer })).status).toBe(403);
  });

  it("lets exactly one of 20 concurrent PATCHes with the same If-Match win, losing no field", async () => {
    const p = await newProject("Race", { tags: ["base"], budgetCents: 100 });
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => write(`/projects/${p.id}`, { patch: { description: `writer ${i}` } }, { ifMatch: '"1"' })),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = replies.find((r) => r.status === 200)!;
    const final = await call(`${t.url}/api/v1/projects/${p.id}`, { token: editor });
    expect(final.body).toMatchObject({ version: 2, description: winner.body.description, tags: ["base"], budgetCents: 100 });
  });

  it("keeps a read-modify-write counter exact under contention when clients retry on 412", async () => {
    const p = await newProject("Counter", { budgetCents: 0 });
    let successes = 0;
    const client = async (n: number) => {
      for (let done = 0; done < n; ) {
        const cur = await call(`${t.url}/api/v1/projects/${p.id}`, { token: editor });
        const r = await write(`/projects/${p.id}`, { patch: { budgetCents: cur.body.budgetCents + 1 } }, { ifMatch: cur.headers.get("etag")! });
        if (r.status === 200) {
          done++;
          successes++;
        } else expect(r.status).toBe(412);
      }
    };
    await Promise.all(Array.from({ length: 6 }, () => client(4)));
    const final = await call(`${t.url}/api/v1/projects/${p.id}`, { token: editor });
    expect(successes).toBe(24);
    expect(final.body.budgetCents).toBe(successes);
    expect(final.body.version).toBe(1 + successes);
  });
});
