import { type JobRow, jobs } from "@trellis/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobsTestDb, waitFor } from "../test/helpers.js";
import { type JobCommandError, JobFailure, cancelJob, createJobEngine, enqueueJob, getJob, retryJob } from "./index.js";

// One database and one engine for the file; each test uses its own job kind.
const { t, connection } = await jobsTestDb();
const db = t.db;

const runs = new Map<string, number>();
const count = (id: string) => runs.set(id, (runs.get(id) ?? 0) + 1);
const attemptTimes: number[] = [];
let gate: () => void = () => {};
const gateOpen = new Promise<void>((r) => (gate = r));
const flaky = new Set<string>();

const engine = createJobEngine({
  db,
  connection,
  handlers: {
    echo: { run: async ({ job, input }) => (count(job.id), { got: input }) },
    failing: {
      maxAttempts: 3,
      retryDelaySeconds: 1,
      backoff: true,
      run: async () => {
        attemptTimes.push(Date.now());
        throw new JobFailure("the upstream said no", "UPSTREAM_REFUSED");
      },
    },
    flaky: {
      maxAttempts: 1,
      run: async ({ job }) => {
        count(job.id);
        if (!flaky.has(job.id)) {
          flaky.add(job.id);
          throw new Error("first run fails");
        }
        return "ok";
      },
    },
    gated: { run: async ({ job }) => (count(job.id), await gateOpen) },
    steps: {
      run: async ({ progress, checkpoint }) => {
        for (let i = 1; i <= 200; i++) {
          await checkpoint();
          await new Promise((r) => setTimeout(r, 20));
          progress(i, 200, `step ${i}`);
        }
        return "all done";
      },
    },
    slow: { maxAttempts: 1, timeoutSeconds: 1, run: ({ signal }) => new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("aborted")))) },
  },
});

beforeAll(() => engine.start());
afterAll(async () => {
  await engine.stop({ graceMs: 1_000 });
  await t.close();
});

const state = (id: string, ...want: JobRow["state"][]) =>
  waitFor(async () => {
    const row = await getJob(db, id);
    return row && want.includes(row.state) && row;
  }, `job ${id} to be ${want.join("|")}`);

const caught = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    return e as JobCommandError;
  }
  throw new Error("expected a rejection");
};

describe(`jobs on ${t.kind}`, () => {
  it("enqueues in the caller's transaction: a committed job runs (relay latency measured), a rolled-back one leaves nothing", async () => {
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = Date.now();
      const id = await db.transaction((tx) => enqueueJob(tx, { kind: "echo", input: { i }, requestId: `req-${i}` }));
      const row = await state(id, "succeeded");
      latencies.push(Date.now() - t0);
      expect(row).toMatchObject({ result: { got: { i } }, attempts: 1, maxAttempts: 3, requestId: `req-${i}`, error: null });
      expect(row.startedAt && row.finishedAt).toBeTruthy();
    }
    console.log(`[${t.kind}] enqueue -> succeeded ms:`, latencies.join(", "));

    let doomed = "";
    await expect(
      db.transaction(async (tx) => {
        doomed = await enqueueJob(tx, { kind: "echo", input: {} });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await engine.relay();
    expect(await getJob(db, doomed)).toBeUndefined();
    expect(runs.get(doomed)).toBeUndefined();
  });

  it("relays a job once even when the relay runs again after sending (crash between send and mark)", async () => {
    const id = await db.transaction((tx) => enqueueJob(tx, { kind: "echo", input: "once" }));
    await Promise.all([engine.relay(), engine.relay()]);
    // As if the relay had died after the send, before marking the row: it is sent again.
    await db.update(jobs).set({ relayedAt: null }).where(eq(jobs.id, id));
    await engine.relay();
    await state(id, "succeeded");
    await db.update(jobs).set({ relayedAt: null, state: "queued" }).where(eq(jobs.id, id));
    await engine.relay();
    await new Promise((r) => setTimeout(r, 700));
    expect(runs.get(id)).toBe(1);
    expect(await engine.boss.findJobs("echo", { id })).toHaveLength(1);
    await db.update(jobs).set({ state: "succeeded" }).where(eq(jobs.id, id));
  });

  it("retries a failing handler with backoff, then fails with the error visible (no stack)", async () => {
    const id = await db.transaction((tx) => enqueueJob(tx, { kind: "failing", input: null }));
    const retrying = await state(id, "retrying");
    expect(retrying.error).toEqual({ message: "the upstream said no", reason: "UPSTREAM_REFUSED" });
    const row = await state(id, "failed");
    expect(row).toMatchObject({ attempts: 3, maxAttempts: 3, error: { message: "the upstream said no", reason: "UPSTREAM_REFUSED" } });
    expect(Object.keys(row.error ?? {}).sort()).toEqual(["message", "reason"]);
    const gaps = attemptTimes.slice(1).map((at, i) => at - (attemptTimes[i] ?? 0));
    console.log(`[${t.kind}] retry gaps ms:`, gaps.join(", "));
    expect(gaps).toHaveLength(2);
    expect(gaps[0]).toBeGreaterThanOrEqual(900);
    expect(gaps[1]).toBeGreaterThanOrEqual(1_900);
  });

  it("times out an attempt past the kind's timeout", async () => {
    const id = await db.transaction((tx) => enqueueJob(tx, { kind: "slow", input: null }));
    const row = await state(id, "failed");
    expect(row.error).toMatchObject({ reason: "TIMEOUT" });
  });

  it("retries a failed job by hand as a new attempt; refuses unknown, running and finished jobs clearly", async () => {
    const id = await db.transaction((tx) => enqueueJob(tx, { kind: "flaky", input: null }));
    const failed = await state(id, "failed");
    expect(failed.error).toEqual({ message: "first run fails", reason: "HANDLER_ERROR" });
    await retryJob(db, id);
    const row = await state(id, "succeeded");
    expect(row).toMatchObject({ attempts: 2, result: "ok", error: null, generation: 1 });
    expect(runs.get(id)).toBe(2);

    const unknown = "00000000-0000-4000-8000-000000000000";
    expect(await caught(cancelJob(db, unknown))).toMatchObject({ code: "JOB_NOT_FOUND" });
    expect(await caught(retryJob(db, unknown))).toMatchObject({ code: "JOB_NOT_FOUND" });
    expect(await caught(cancelJob(db, id))).toMatchObject({ code: "JOB_ALREADY_FINISHED", state: "succeeded" });
    expect(await caught(retryJob(db, id))).toMatchObject({ code: "JOB_NOT_RETRYABLE", state: "succeeded" });
  });

  it("cancels a queued job at once and a running one at its next checkpoint, with its progress visible", async () => {
    // A queued job: the one `gated` worker is busy, so the second waits in the queue.
    const busy = await db.transaction((tx) => enqueueJob(tx, { kind: "gated", input: null }));
    await state(busy, "running");
    const waiting = await db.transaction((tx) => enqueueJob(tx, { kind: "gated", input: null }));
    await engine.relay();
    expect((await cancelJob(db, waiting)).state).toBe("cancelled");

    const id = await db.transaction((tx) => enqueueJob(tx, { kind: "steps", input: null }));
    const moving = await waitFor(async () => {
      const r = await getJob(db, id);
      return r?.state === "running" && (r.progress?.done ?? 0) >= 10 && r;
    }, "progress on the row");
    expect(moving.progress).toMatchObject({ total: 200, message: expect.stringMatching(/^step \d+$/) });
    expect(await caught(retryJob(db, id))).toMatchObject({ code: "JOB_NOT_RETRYABLE", state: "running" });
    const asked = await cancelJob(db, id);
    expect(asked.state).toBe("running");
    expect(asked.cancelRequestedAt).toBeTruthy();
    const row = await state(id, "cancelled");
    console.log(`[${t.kind}] cancelled at`, row.progress);
    expect(row.progress?.done).toBeGreaterThanOrEqual(10);
    expect(row.progress?.done).toBeLessThan(200);
    expect(await caught(cancelJob(db, id))).toMatchObject({ code: "JOB_ALREADY_FINISHED", state: "cancelled" });

    gate();
    await state(busy, "succeeded");
    await new Promise((r) => setTimeout(r, 700));
    expect(runs.get(waiting)).toBeUndefined();
    expect((await getJob(db, waiting))?.state).toBe("cancelled");
  });
});
