import { randomUUID } from "node:crypto";
import { jobs, type JobRow } from "@trellis/db";
import { startTestServer, type TestServer } from "@trellis/server/testing";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTrellisClient, type Job, TRPCClientError, waitForJob } from "./index.js";

// waitForJob against a real server. No job engine runs here: the test moves the job's row the way
// the engine does (state, progress, attempts, updated_at), which is all the stream and the poll
// read, so each test decides exactly what the job does and when. At most 2 live streams per user,
// so the fallback test can make the stream fail for real (STREAM_LIMIT_REACHED).
let t: TestServer;
let editor: ReturnType<typeof createTrellisClient>;
let admin: ReturnType<typeof createTrellisClient>;

beforeAll(async () => {
  t = await startTestServer({ config: { LIVE_STREAMS_PER_USER: "2" } });
  editor = createTrellisClient({ url: t.url, token: await t.tokenFor("editor") });
  admin = createTrellisClient({ url: t.url, token: await t.tokenFor("admin") });
});
afterAll(() => t?.close());

const startJob = (client: typeof editor) =>
  client.project.bulk.mutate({ change: { action: "archive" }, selection: { filter: { q: `client-${randomUUID()}` } } });

/** Moves the job as the engine would, `gapMs` apart. */
async function play(id: string, steps: Array<Partial<JobRow>>, gapMs = 150) {
  for (const step of steps) {
    await new Promise((r) => setTimeout(r, gapMs));
    await t.db.db.update(jobs).set({ ...step, updatedAt: sql`now()` }).where(eq(jobs.id, id));
  }
}

const running = (done: number, total = 3): Partial<JobRow> => ({ state: "running", attempts: 1, progress: { done, total } });
const finishedAt = new Date();

describe("waitForJob", () => {
  it("reports progress in order over the subscription and resolves with the final job", async () => {
    const job = await startJob(editor);
    const seen: Job[] = [];
    const waiting = waitForJob(editor, job.id, { onProgress: (j) => seen.push(j) });
    await play(job.id, [running(0), running(1), running(2), running(3), { state: "succeeded", result: { applied: 3 }, finishedAt }]);
    const final = await waiting;
    expect(final).toMatchObject({ id: job.id, state: "succeeded", result: { applied: 3 } });
    expect(final.finishedAt).toBeInstanceOf(Date);
    expect(seen[0]!.state).toBe("queued");
    expect(seen.at(-1)!.state).toBe("succeeded");
    const done = seen.map((j) => j.progress?.done ?? -1);
    expect([...done].sort((a, b) => a - b)).toEqual(done);
    expect(new Set(seen.map((j) => JSON.stringify([j.state, j.progress]))).size).toBe(seen.length);
  });

  it("resolves (does not throw) with a failed job and its error", async () => {
    const job = await startJob(editor);
    const waiting = waitForJob(editor, job.id);
    await play(job.id, [running(1), { state: "failed", attempts: 3, error: { message: "Nope", reason: "TEST" }, finishedAt }]);
    expect(await waiting).toMatchObject({ state: "failed", error: { message: "Nope", reason: "TEST" } });
    // A job already finished: answers at once.
    expect((await waitForJob(editor, job.id)).state).toBe("failed");
  });

  it("rejects when aborted, and for a job it cannot see", async () => {
    const job = await startJob(editor);
    const controller = new AbortController();
    const waiting = waitForJob(editor, job.id, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error("gave up")), 200);
    await expect(waiting).rejects.toThrow("gave up");

    const unknown = await waitForJob(editor, randomUUID()).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(TRPCClientError);
    expect((unknown as TRPCClientError<never>).data).toMatchObject({ reason: "JOB_NOT_FOUND" });
  });

  it("falls back to polling job.byId when the stream fails", async () => {
    // The admin's two places taken by other streams: job.progress is refused (429).
    for (let i = 0; i < 2; i++) {
      const sub = admin.project.changes.subscribe({}, {});
      onTestFinished(() => sub.unsubscribe());
    }
    await new Promise((r) => setTimeout(r, 300));
    const job = await startJob(admin);
    const seen: Job["state"][] = [];
    const waiting = waitForJob(admin, job.id, { pollMs: 100, onProgress: (j) => seen.push(j.state) });
    await play(job.id, [running(1), { state: "cancelled", finishedAt }], 300);
    expect((await waiting).state).toBe("cancelled");
    expect(seen).toEqual(["queued", "running", "cancelled"]);
  });
});
