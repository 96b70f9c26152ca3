import { jobItems, jobWorkers, jobs } from "@trellis/db";
import { eq, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { jobsTestDb, waitFor } from "../test/helpers.js";
import { aliveWorkers, createJobEngine, enqueueJob, expireFinishedJobs, forgetDeadWorkers, getJob, reconcileStuckJobs } from "./index.js";

// One database for the file; engines are started and stopped per test (stop() closes pg-boss).
const { t, connection } = await jobsTestDb();
const db = t.db;
afterAll(() => t.close());

const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

describe("every(kind, seconds)", () => {
  it("runs one job per slot, whatever the number of offers", async () => {
    const runs: number[] = [];
    const engine = createJobEngine({ db, connection, relayIntervalMs: 50, handlers: { tick: { run: async () => void runs.push(Date.now()) } } });
    await engine.start();
    const perSlot = async () =>
      rowsOf<{ slot: string; n: number }>(
        await db.execute(sql`select singleton_on::text as slot, count(*)::int as n from pgboss.job where name = 'tick' group by 1 order by 1`),
      );
    try {
      engine.every("tick", 1);
      // Two offers a slot from this engine (half-slot timer): the slot index refuses the second.
      await waitFor(async () => runs.length >= 4, "four runs");
    } finally {
      await engine.stop({ graceMs: 1_000 });
    }
    const slots = await perSlot();
    expect(slots.every((s) => s.n === 1)).toBe(true);
    const rows = await db.select().from(jobs).where(eq(jobs.kind, "tick"));
    expect(rows.length).toBe(runs.length);
    expect(rows.every((r) => r.state === "succeeded")).toBe(true);
    // Each run is its own slot's job (a slot offered just before the stop may not have run yet).
    expect(runs.length).toBeLessThanOrEqual(slots.length);
  }, 20_000);

  it("refuses a fraction of a second and an unknown kind", async () => {
    const engine = createJobEngine({ db, connection, handlers: { tick: { run: async () => null } } });
    expect(() => engine.every("tick", 1)).toThrow(/start the engine/);
    await engine.start();
    try {
      expect(() => engine.every("tick", 0.5)).toThrow(RangeError);
      expect(() => engine.every("nope", 1)).toThrow(/no handler/);
    } finally {
      await engine.stop({ graceMs: 100 });
    }
  });
});

describe("reconcileStuckJobs", () => {
  it("fails a running row whose pg-boss job has already failed, and leaves live ones alone", async () => {
    let release: () => void = () => {};
    const released = new Promise<void>((r) => (release = r));
    const engine = createJobEngine({ db, connection, relayIntervalMs: 50, handlers: { stuck: { maxAttempts: 1, run: () => released } } });
    await engine.start();
    try {
      const id = await db.transaction((tx) => enqueueJob(tx, { kind: "stuck", input: null }));
      await waitFor(async () => (await getJob(db, id))?.state === "running", "the job to run");
      // A live attempt (pg-boss job active) is not stuck.
      expect(await reconcileStuckJobs(db, engine)).toBe(0);
      // What pg-boss's supervisor does when the worker of a last attempt died: it fails the job
      // and never calls the handler again.
      await db.execute(sql`update pgboss.job set state = 'failed', completed_on = now() where id = ${id}::uuid`);
      expect(await reconcileStuckJobs(db, engine)).toBe(1);
      const row = await getJob(db, id);
      expect(row).toMatchObject({ state: "failed", error: { reason: "INTERRUPTED" } });
      expect(row?.finishedAt).toBeInstanceOf(Date);
      expect(row?.error?.message).toMatch(/stopped .* last attempt/);
      // The abandoned attempt finishing later does not overwrite the verdict (its update is fenced on `running`).
      release();
      await new Promise((r) => setTimeout(r, 200));
      expect((await getJob(db, id))?.state).toBe("failed");
      expect(await reconcileStuckJobs(db, engine)).toBe(0);
    } finally {
      await engine.stop({ graceMs: 500 });
    }
  });

  it("fails a retrying row whose pg-boss job is gone, in batches", async () => {
    // Rows only (pg-boss has no job for them, e.g. deleted by its retention).
    const ids = await db.transaction(async (tx) => Promise.all([0, 1, 2].map(() => enqueueJob(tx, { kind: "orphan", input: null }))));
    await db.update(jobs).set({ state: "retrying", attempts: 1, relayedAt: sql`now()` }).where(eq(jobs.kind, "orphan"));
    expect(await reconcileStuckJobs(db, "pgboss", 2)).toBe(3);
    for (const id of ids) expect((await getJob(db, id))?.error?.reason).toBe("INTERRUPTED");
  });

  it("refuses a schema name it would have to quote", async () => {
    await expect(reconcileStuckJobs(db, 'pgboss"; drop table jobs; --')).rejects.toThrow(RangeError);
  });
});

describe("expireFinishedJobs", () => {
  it("deletes finished jobs older than the cut-off with their items, in bounded batches, and nothing else", async () => {
    const old = new Date(Date.now() - 8 * 86_400_000);
    const recent = new Date(Date.now() - 3_600_000);
    const mk = (state: "succeeded" | "failed" | "cancelled" | "running" | "queued", finishedAt: Date | null) =>
      db.insert(jobs).values({ kind: "expiry", state, finishedAt }).returning({ id: jobs.id }).then(([r]) => r!.id);
    const expired = [await mk("succeeded", old), await mk("failed", old), await mk("cancelled", old), await mk("succeeded", old), await mk("succeeded", old)];
    const kept = [await mk("succeeded", recent), await mk("running", null), await mk("queued", null)];
    await db.insert(jobItems).values(expired.map((jobId, seq) => ({ jobId, seq, itemId: `p${seq}` })));

    expect(await expireFinishedJobs(db, new Date(Date.now() - 7 * 86_400_000), 2)).toBe(5);
    const left = await db.select({ id: jobs.id }).from(jobs).where(eq(jobs.kind, "expiry"));
    expect(left.map((r) => r.id).sort()).toEqual([...kept].sort());
    const items = await db.select().from(jobItems);
    expect(items.filter((i) => expired.includes(i.jobId))).toHaveLength(0);
    expect(await expireFinishedJobs(db, new Date(Date.now() - 7 * 86_400_000))).toBe(0);
  });
});

describe("heartbeat", () => {
  it("keeps a job_workers row fresh while started and removes it on stop", async () => {
    const engine = createJobEngine({ db, connection, concurrency: 3, heartbeat: { mode: "embedded", intervalMs: 100 }, handlers: { noop: { run: async () => null } } });
    // A worker killed without a clean stop: its row stays, stale.
    await db.insert(jobWorkers).values({ id: "dead", mode: "worker", host: "h", pid: 1, concurrency: 1, lastSeenAt: new Date(Date.now() - 3_600_000) });
    await engine.start();
    try {
      const [first] = await aliveWorkers(db, 5_000);
      expect(first).toMatchObject({ id: engine.workerId, mode: "embedded", pid: process.pid, concurrency: 3 });
      await waitFor(async () => {
        const [now] = await aliveWorkers(db, 5_000);
        return now && now.lastSeenAt > first!.lastSeenAt;
      }, "a newer heartbeat");
      expect((await aliveWorkers(db, 5_000)).map((w) => w.id)).toEqual([engine.workerId]);
      expect(await forgetDeadWorkers(db, 600_000)).toBe(1);
    } finally {
      await engine.stop({ graceMs: 100 });
    }
    expect(await db.select().from(jobWorkers)).toEqual([]);
  });
});

describe("stop()", () => {
  it("lets a running job finish within the grace, then takes no more", async () => {
    const started: string[] = [];
    const engine = createJobEngine({
      db,
      connection,
      relayIntervalMs: 50,
      handlers: { short: { run: async ({ job }) => (started.push(job.id), await new Promise((r) => setTimeout(r, 400)), "done") } },
    });
    await engine.start();
    const id = await db.transaction((tx) => enqueueJob(tx, { kind: "short", input: null }));
    await waitFor(async () => started.includes(id), "the job to start");
    await engine.stop({ graceMs: 5_000 });
    expect(await getJob(db, id)).toMatchObject({ state: "succeeded", result: "done" });
    const later = await db.transaction((tx) => enqueueJob(tx, { kind: "short", input: null }));
    await new Promise((r) => setTimeout(r, 300));
    expect((await getJob(db, later))?.state).toBe("queued");
  });

  it("aborts a job still running after the grace at its next checkpoint: INTERRUPTED, to be retried", async () => {
    const engine = createJobEngine({
      db,
      connection,
      relayIntervalMs: 50,
      handlers: {
        endless: {
          run: async ({ checkpoint }) => {
            for (;;) {
              await checkpoint();
              await new Promise((r) => setTimeout(r, 20));
            }
          },
        },
      },
    });
    await engine.start();
    const id = await db.transaction((tx) => enqueueJob(tx, { kind: "endless", input: null }));
    await waitFor(async () => (await getJob(db, id))?.state === "running", "the job to run");
    const t0 = Date.now();
    await engine.stop({ graceMs: 300 });
    expect(Date.now() - t0).toBeLessThan(2_500);
    expect(await getJob(db, id)).toMatchObject({ state: "retrying", attempts: 1, error: { reason: "INTERRUPTED" } });
  });
});
