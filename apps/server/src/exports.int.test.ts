import { EXPORT_COLUMNS, splitTags } from "@trellis/api/schemas";
import { jobs, projects } from "@trellis/db";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { startTestServer, type TestServer } from "./testing.js";

// Export as a job over HTTP, end to end on one server that works jobs in-process: POST /exports
// (202 + Location, exactly once per key), the job, and GET /exports/{id}/file (who may, when,
// which headers, what the file holds). The memory proof is exports.memory.int.test.ts.

let t: TestServer;
const token: Record<"viewer" | "editor" | "admin", string> = { viewer: "", editor: "", admin: "" };
const api = (path: string) => `${t.url}/api/v1${path}`;
const TAG = "Xprt";

beforeAll(async () => {
  t = await startTestServer({ jobs: true });
  for (const role of ["viewer", "editor", "admin"] as const) token[role] = await t.tokenFor(role);
  const { editor, admin } = t.users;
  await t.db.db.insert(projects).values([
    { name: `${TAG} b formula`, description: "=HYPERLINK(\"http://evil\")", status: "active", ownerId: editor.id, tags: ["+1", "x;y"], budgetCents: 99, dueDate: "2027-01-31" },
    { name: `${TAG} a plain`, description: "line one\nline \"two\", with comma", status: "active", ownerId: admin.id },
    { name: `${TAG} c at-sign`, description: "@SUM(A1:A9)", status: "active", ownerId: editor.id },
    { name: `${TAG} d on hold`, status: "on_hold", ownerId: editor.id },
    { name: `${TAG} e archived`, status: "active", ownerId: editor.id, archivedAt: new Date() },
    { name: "Unrelated", status: "active", ownerId: editor.id },
  ]);
});
afterAll(() => t?.close());

const startExport = (role: keyof typeof token, body: unknown, key = newKey()) => call(api("/exports"), { token: token[role], key, body });

async function finished(id: string, role: keyof typeof token = "editor") {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
    const job = await call(api(`/jobs/${id}`), { token: token[role] });
    if (["succeeded", "failed", "cancelled"].includes(job.body.state)) return job.body;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`export ${id} did not finish`);
}

const download = (id: string, role?: keyof typeof token) =>
  fetch(api(`/exports/${id}/file`), { headers: role ? { authorization: `Bearer ${token[role]}` } : {} });

describe("POST /exports → GET /exports/{id}/file", () => {
  let jobId: string;

  it("answers 202 + Location, once per key; the file holds exactly the filtered rows in the sort asked for, formulas neutralised", async () => {
    const key = newKey();
    const body = { status: "active", q: TAG, sort: "name_asc" };
    const first = await startExport("editor", body, key);
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ kind: "project.export", state: "queued", input: { ...body, includeArchived: false } });
    jobId = first.body.id;
    expect(first.headers.get("location")).toBe(`/api/v1/jobs/${jobId}`);
    const replay = await startExport("editor", body, key);
    expect({ status: replay.status, id: replay.body.id, replayed: replay.headers.get("idempotent-replayed") }).toEqual({ status: 202, id: jobId, replayed: "true" });

    const done = await finished(jobId);
    expect(done).toMatchObject({ state: "succeeded", result: { rows: 3 }, progress: { done: 3, total: 3 } });

    const res = await download(jobId, "editor");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="projects-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(Number(res.headers.get("content-length"))).toBe(bytes.length);
    expect(bytes.length).toBe(done.result.artifacts[0].sizeBytes);

    const [header, ...rows] = parse(bytes) as string[][];
    expect(header).toEqual([...EXPORT_COLUMNS]);
    const byName = rows.map((r) => Object.fromEntries(EXPORT_COLUMNS.map((c, i) => [c, r[i]])));
    // name_asc; not on hold, not archived, not unmatched.
    expect(byName.map((r) => r.name)).toEqual([`${TAG} a plain`, `${TAG} b formula`, `${TAG} c at-sign`]);
    expect(byName[2]?.description).toBe("'@SUM(A1:A9)");
    expect(byName[1]).toMatchObject({
      description: "'=HYPERLINK(\"http://evil\")",
      status: "active",
      owner: t.users.editor.email,
      budget: "0.99",
      dueDate: "2027-01-31",
      version: "1",
    });
    // The tags cell is one cell: its own leading "+" is neutralised as a whole, the ";" inside a tag escaped.
    expect(byName[1]?.tags).toBe("'+1;x\\;y");
    expect(splitTags(byName[1]?.tags?.slice(1) ?? "")).toEqual(["+1", "x;y"]);
    expect(byName[0]).toMatchObject({ description: "line one\nline \"two\", with comma", owner: t.users.admin.email, budget: "", dueDate: "" });
  });

  it("lets only the job's creator or an admin download: anyone else 404 as for an unknown id; signed out 401", async () => {
    expect((await download(jobId, "admin")).status).toBe(200);
    for (const [id, role] of [[jobId, "viewer"], [crypto.randomUUID(), "editor"]] as const) {
      const res = await download(id, role);
      expect({ status: res.status, reason: ((await res.json()) as { data: { reason: string } }).data.reason }).toEqual({ status: 404, reason: "JOB_NOT_FOUND" });
    }
    expect((await download(jobId)).status).toBe(401);
  });

  it("lets a viewer export what they can read", async () => {
    const started = await startExport("viewer", { q: TAG, includeArchived: true });
    expect(started.status).toBe(202);
    expect(await finished(started.body.id, "viewer")).toMatchObject({ state: "succeeded", result: { rows: 5 } });
    const res = await download(started.body.id, "viewer");
    expect(res.status).toBe(200);
    expect((parse(Buffer.from(await res.arrayBuffer())) as string[][]).length).toBe(6);
  });

  it("answers 409 with the job's state while it has not succeeded", async () => {
    // A job the engine never sees (already relayed), frozen in "running".
    const [running] = await t.db.db
      .insert(jobs)
      .values({ kind: "project.export", state: "running", input: {}, createdBy: t.users.editor.id, relayedAt: new Date(), startedAt: new Date() })
      .returning({ id: jobs.id });
    const res = await download(running!.id, "editor");
    const body = (await res.json()) as { message: string; data: { reason: string; jobState: string } };
    expect({ status: res.status, reason: body.data.reason, jobState: body.data.jobState }).toEqual({ status: 409, reason: "EXPORT_NOT_READY", jobState: "running" });
    expect(body.message).toMatch(/running/);
  });

  it("refuses bad filters (400) and is in the OpenAPI document as a job start", async () => {
    const bad = await startExport("editor", { status: "exploded", cursor: "x" });
    expect(bad.status).toBe(400);
    const doc = (await call(api("/openapi.json"))).body;
    expect(doc.paths["/exports"].post.responses["202"].headers).toHaveProperty("Location");
  });
});
