import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./testing.js";

// Response bodies here are checked by assertions, not by the type system.
type JsonResponse = Omit<Response, "json"> & { json(): Promise<any> };
const fetch = (url: string, init?: RequestInit) => globalThis.fetch(url, init) as Promise<JsonResponse>;

let t: TestServer;
let editorToken: string;
beforeAll(async () => {
  t = await startTestServer();
  editorToken = await t.tokenFor("editor");
});
afterAll(() => t?.close());

const json = (token?: string) => ({
  "content-type": "application/json",
  ...(token ? { authorization: `Bearer ${token}` } : {}),
});

describe("REST surface", () => {
  it("logs in, creates, reads, patches, archives and lists with a bearer token", async () => {
    const created = await fetch(`${t.url}/api/v1/projects`, {
      method: "POST",
      headers: { ...json(editorToken), "idempotency-key": randomUUID() },
      body: JSON.stringify({ name: "REST project", tags: ["api"], budgetCents: 500 }),
    });
    expect(created.status).toBe(200);
    const project = await created.json();
    expect(project).toMatchObject({ name: "REST project", status: "planning", version: 1, tags: ["api"] });
    expect(typeof project.createdAt).toBe("string");

    const got = await fetch(`${t.url}/api/v1/projects/${project.id}`, { headers: json(editorToken) });
    expect(await got.json()).toEqual(project);

    const patched = await fetch(`${t.url}/api/v1/projects/${project.id}`, {
      method: "PATCH",
      headers: json(editorToken),
      body: JSON.stringify({ expectedVersion: 1, patch: { status: "active" } }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ status: "active", version: 2 });

    const stale = await fetch(`${t.url}/api/v1/projects/${project.id}`, {
      method: "PATCH",
      headers: json(editorToken),
      body: JSON.stringify({ expectedVersion: 1, patch: { status: "on_hold" } }),
    });
    expect(stale.status).toBe(409);
    const conflict = await stale.json();
    expect(conflict.data).toMatchObject({ reason: "VERSION_CONFLICT", currentVersion: 2 });
    expect(conflict.data.current).toMatchObject({ id: project.id, status: "active", version: 2 });

    const archived = await fetch(`${t.url}/api/v1/projects/${project.id}/archive`, {
      method: "POST",
      headers: json(editorToken),
      body: JSON.stringify({ expectedVersion: 2 }),
    });
    expect(archived.status).toBe(200);

    const list = await fetch(`${t.url}/api/v1/projects?includeArchived=true&limit=5`, { headers: json(editorToken) });
    expect(list.status).toBe(200);
    const body = await list.json();
    expect(body.items.map((p: { id: string }) => p.id)).toContain(project.id);
    expect(body).toHaveProperty("nextCursor");
    const liveOnly = await (await fetch(`${t.url}/api/v1/projects?includeArchived=false`, { headers: json(editorToken) })).json();
    expect(liveOnly.items.map((p: { id: string }) => p.id)).not.toContain(project.id);

    const stats = await fetch(`${t.url}/api/v1/projects/stats`, { headers: json(editorToken) });
    expect(stats.status).toBe(200);
    expect(await stats.json()).toMatchObject({ archived: 1 });
  });

  it("rejects requests without a valid token", async () => {
    expect((await fetch(`${t.url}/api/v1/projects`)).status).toBe(401);
    expect((await fetch(`${t.url}/api/v1/projects`, { headers: json("not-a-token") })).status).toBe(401);
    const bad = await fetch(`${t.url}/api/v1/auth/login`, {
      method: "POST",
      headers: json(),
      body: JSON.stringify({ email: t.users.editor.email, password: "wrong" }),
    });
    expect(bad.status).toBe(401);
  });

  it("answers malformed JSON, wrong types, oversized strings and unknown fields with 4xx and field paths", async () => {
    const post = (body: string) =>
      fetch(`${t.url}/api/v1/projects`, {
        method: "POST",
        headers: { ...json(editorToken), "idempotency-key": randomUUID() },
        body,
      });

    const malformed = await post("{ not json");
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).data.requestId).toBeTruthy();

    const wrong = await post(JSON.stringify({ name: 42, tags: "x", status: "nope" }));
    expect(wrong.status).toBe(400);
    const wrongBody = await wrong.json();
    expect(Object.keys(wrongBody.data.fieldErrors).sort()).toEqual(["name", "status", "tags"]);

    const huge = await post(JSON.stringify({ name: "x".repeat(201), description: "y".repeat(10_001) }));
    expect(huge.status).toBe(400);
    expect(Object.keys((await huge.json()).data.fieldErrors).sort()).toEqual(["description", "name"]);

    const unknown = await post(JSON.stringify({ name: "ok", version: 7 }));
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).data.fieldErrors).toHaveProperty("version");

    const tooBig = await post(JSON.stringify({ name: "x".repeat(2 * 1024 * 1024) }));
    expect(tooBig.status).toBe(413);

    const badId = await fetch(`${t.url}/api/v1/projects/not-a-uuid`, { headers: json(editorToken) });
    expect(badId.status).toBe(400);
    expect((await badId.json()).data.fieldErrors).toHaveProperty("id");
  });

  it("publishes an OpenAPI document and an interactive reference", async () => {
    const doc = await (await fetch(`${t.url}/api/v1/openapi.json`)).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ["/auth/login", "/projects", "/projects/{id}", "/projects/{id}/archive", "/projects/stats"]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths["/projects/{id}"])).toEqual(expect.arrayContaining(["get", "patch"]));
    const createParams = doc.paths["/projects"].post.parameters as Array<{ in: string; name: string; required?: boolean }>;
    expect(createParams).toContainEqual(expect.objectContaining({ in: "header", name: "Idempotency-Key", required: true }));
    expect(doc.paths["/projects/{id}"].patch.responses).toHaveProperty("422");
    const ui = await fetch(`${t.url}/api-docs/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain("swagger");
  });
});

describe("tRPC surface", () => {
  it("serves batched queries with superjson and a bearer token", async () => {
    const input = encodeURIComponent(JSON.stringify({ 0: { json: null, meta: { values: ["undefined"] } }, 1: { json: { limit: 2 } } }));
    const res = await fetch(`${t.url}/trpc/auth.me,project.list?batch=1&input=${input}`, { headers: json(editorToken) });
    expect(res.status).toBe(200);
    const [me, list] = await res.json();
    expect(me.result.data.json).toMatchObject({ email: t.users.editor.email, role: "editor" });
    expect(Array.isArray(list.result.data.json.items)).toBe(true);
  });

  it("answers bad input with BAD_REQUEST and field paths, never 500", async () => {
    const res = await fetch(`${t.url}/trpc/project.create`, {
      method: "POST",
      headers: json(editorToken),
      body: JSON.stringify({ json: { name: "", budgetCents: -5, tags: [1] } }),
    });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.json.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(body.error.json.data.fieldErrors).sort()).toEqual(["budgetCents", "name", "tags.0"]);
    const garbage = await fetch(`${t.url}/trpc/project.create`, { method: "POST", headers: json(editorToken), body: "{{{" });
    expect(garbage.status).toBeGreaterThanOrEqual(400);
    expect(garbage.status).toBeLessThan(500);
  });

  it("sets an httpOnly session cookie on login that authenticates later calls", async () => {
    const res = await fetch(`${t.url}/trpc/auth.login`, {
      method: "POST",
      headers: json(),
      body: JSON.stringify({ json: { email: t.users.viewer.email, password: t.users.viewer.password } }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/trellis_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = setCookie.split(";")[0]!;
    const me = await fetch(`${t.url}/trpc/auth.me`, { headers: { cookie } });
    expect((await me.json()).result.data.json.role).toBe("viewer");
  });
});

describe("host", () => {
  it("echoes a caller's request id and generates one otherwise", async () => {
    const given = await fetch(`${t.url}/health`, { headers: { "x-request-id": "abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("abc-123");
    const generated = await fetch(`${t.url}/health`);
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("is ready while the database answers and 503 when it is gone", async () => {
    const s = await startTestServer();
    try {
      expect((await fetch(`${s.url}/ready`)).status).toBe(200);
      await s.db.close();
      const res = await fetch(`${s.url}/ready`);
      expect(res.status).toBe(503);
      expect((await res.json()).checks.database).not.toBe("ok");
      expect((await fetch(`${s.url}/health`)).status).toBe(200);
    } finally {
      await s.server.stop();
      await s.kv.close();
    }
  });
});
