import { JOB_KINDS } from "@trellis/api";
import { loadConfig } from "@trellis/config";
import { type Db, idempotencyRecords, jobs } from "@trellis/db";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { startPeer, startTestServer } from "./testing.js";

// Proof 8 of issue 10: the maintenance job (the idempotency sweep's home since the timer sweeper
// went) runs once per interval, however many servers run jobs. Interval: 1 s.
const EVERY_SECOND = { IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: "1" };

interface MaintenanceResult {
  idempotencyRecordsSwept: number;
}

async function insertExpiredRecord(db: Db, key: string) {
  const past = new Date(Date.now() - 60_000);
  await db.insert(idempotencyRecords).values({
    principalId: "cron-test",
    path: "project.create",
    key,
    fingerprint: "f",
    outcome: "ok",
    body: "{}",
    httpStatus: 200,
    requestId: "r",
    createdAt: past,
    expiresAt: past,
  });
}

const recordLeft = async (db: Db, key: string) => (await db.select().from(idempotencyRecords).where(eq(idempotencyRecords.key, key))).length;

async function maintenanceRuns(db: Db) {
  return db.select().from(jobs).where(eq(jobs.kind, JOB_KINDS.maintenance));
}

/** pg-boss's maintenance jobs by slot: how many jobs each slot got. */
async function jobsPerSlot(db: Db): Promise<number[]> {
  const r = await db.execute(sql`select count(*)::int as n from pgboss.job where name = ${JOB_KINDS.maintenance} group by singleton_on order by singleton_on`);
  return ((Array.isArray(r) ? r : (r as unknown as { rows: unknown[] }).rows) as { n: number }[]).map((x) => x.n);
}

const until = async (what: string, ok: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("the maintenance job, in embedded mode (the server is the worker)", () => {
  it("runs every interval on the in-process engine and sweeps expired idempotency records", async () => {
    await using s = await startTestServer({ jobs: true, config: EVERY_SECOND });
    expect(s.server.jobs).toBeDefined();
    await insertExpiredRecord(s.db.db, "embedded-expired");
    await until("the sweep", async () => (await recordLeft(s.db.db, "embedded-expired")) === 0);
    await until("two maintenance runs", async () => (await maintenanceRuns(s.db.db)).filter((r) => r.state === "succeeded").length >= 2, 5_000);
    const runs = await maintenanceRuns(s.db.db);
    expect(runs.reduce((n, r) => n + ((r.result as MaintenanceResult | null)?.idempotencyRecordsSwept ?? 0), 0)).toBe(1);
    expect((await jobsPerSlot(s.db.db)).every((n) => n === 1)).toBe(true);

    // /ready reports the in-process worker's heartbeat.
    const ready = (await (await fetch(`${s.url}/ready`)).json()) as { jobs: unknown };
    expect(ready.jobs).toEqual({ inProcess: true, workersAlive: 1 });
  }, 30_000);

  it("is not run, and /ready still passes, when the server does not work jobs", async () => {
    await using s = await startTestServer();
    expect(s.server.jobs).toBeUndefined();
    const res = await fetch(`${s.url}/ready`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { jobs: unknown }).jobs).toEqual({ inProcess: false, workersAlive: 0 });
  });
});

// Two servers on one database need Postgres (PGlite is one process's). Runs when DATABASE_URL is
// set; an unreachable server then fails the file (createTestDb throws), it never skips.
describe.runIf(loadConfig().databaseUrl)("the maintenance job with two server instances up", () => {
  it("runs once per interval, not once per instance, and sweeps a record once", async () => {
    await using a = await startTestServer({ jobs: true, config: EVERY_SECOND });
    const b = await startPeer(a);
    try {
      expect(b.server.jobs).toBeDefined();
      const ready = (await (await fetch(`${b.url}/ready`)).json()) as { jobs: unknown };
      expect(ready.jobs).toEqual({ inProcess: true, workersAlive: 2 });
      await insertExpiredRecord(a.db.db, "cluster-expired");
      const before = (await jobsPerSlot(a.db.db)).length;
      // Both engines offer the job twice a slot; watch a few slots go by.
      await until("three more slots", async () => (await jobsPerSlot(a.db.db)).length - before >= 3, 15_000);
      await until("the sweep", async () => (await recordLeft(a.db.db, "cluster-expired")) === 0);

      const slots = await jobsPerSlot(a.db.db);
      expect(slots.every((n) => n === 1)).toBe(true);
      // Each of those slots' jobs runs, once: one row each, all succeeded.
      await until("the counted slots' runs", async () => {
        const runs = await maintenanceRuns(a.db.db);
        return runs.filter((r) => r.state === "succeeded").length >= slots.length;
      });
      await b.server.jobs?.stop({ graceMs: 1_000 });
      await a.server.jobs?.stop({ graceMs: 1_000 });
      const runs = await maintenanceRuns(a.db.db);
      expect(runs.length).toBeLessThanOrEqual((await jobsPerSlot(a.db.db)).length);
      expect(runs.every((r) => r.state === "succeeded")).toBe(true);
      expect(runs.reduce((n, r) => n + ((r.result as MaintenanceResult | null)?.idempotencyRecordsSwept ?? 0), 0)).toBe(1);

    } finally {
      await b.close();
    }
  }, 40_000);
});
