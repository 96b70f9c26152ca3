import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, newKey } from "../test/http.js";
import { startTestServer, type TestServer } from "./testing.js";

// A bulk change end to end over REST, on a server that runs jobs in-process: 202 + Location, the
// job followed at its Location to the end, its per-project report and its audit trail.

let t: TestServer;
let token: string;
const api = (path: string) => `${t.url}/api/v1${path}`;

beforeAll(async () => {
  t = await startTestServer({ jobs: true });
  token = await t.tokenFor("editor");
});
afterAll(() => t?.close());

async function follow(location: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const job = (await call(`${t.url}${location}`, { token })).body;
    if (["succeeded", "failed", "cancelled"].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job still ${job.state}: ${JSON.stringify(job)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a bulk change as a job, over REST", () => {
  it("archives the selected projects, reporting each, with the changes in the job's audit trail", async () => {
    const create = async (name: string) => (await call(api("/projects"), { token, key: newKey(), body: { name } })).body;
    const [a, b] = [await create("E2E one"), await create("E2E two")];
    // b changes after the user saw version 1: a conflict, never overwritten.
    await call(api(`/projects/${b.id}`), { method: "PATCH", token, body: { expectedVersion: 1, patch: { name: "E2E two, edited" } } });

    const started = await call(api("/projects/bulk"), {
      token,
      key: newKey(),
      body: { change: { action: "archive" }, selection: { ids: [{ id: a.id, expectedVersion: 1 }, { id: b.id, expectedVersion: 1 }] } },
    });
    expect(started.status).toBe(202);
    const job = await follow(started.headers.get("location")!);
    expect(job).toMatchObject({ state: "succeeded", error: null, result: { total: 2, applied: 1, conflict: 1 } });

    const report = (await call(api(`/jobs/${job.id}/items`), { token })).body;
    expect(report.counts).toMatchObject({ applied: 1, conflict: 1, pending: 0, total: 2 });
    expect(Object.fromEntries(report.items.map((i: { itemId: string; outcome: string }) => [i.itemId, i.outcome]))).toEqual({ [a.id]: "applied", [b.id]: "conflict" });

    const trail = (await call(api(`/jobs/${job.id}/events`), { token })).body;
    expect(trail.items.map((e: { projectId: string; action: string; actorId: string }) => [e.projectId, e.action, e.actorId])).toEqual([[a.id, "archived", t.users.editor.id]]);
    expect((await call(api(`/projects/${b.id}`), { token })).body).toMatchObject({ name: "E2E two, edited", archivedAt: null, version: 2 });
  });
});
