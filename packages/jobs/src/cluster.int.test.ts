import { loadConfig } from "@trellis/config";
import { jobs } from "@trellis/db";
import { inArray, sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { jobsTestDb, waitFor } from "../test/helpers.js";
import { type JobEngine, createJobEngine, enqueueJob } from "./index.js";

// Several engines on one database need Postgres (PGlite is one in-process connection, so a second
// process or pool cannot share it). Runs when DATABASE_URL is set; then an unreachable server
// fails the file (createTestDb throws), it never skips.
describe.runIf(loadConfig().databaseUrl)("a cluster of engines on one Postgres database", async () => {
  const { t, connection } = await jobsTestDb();
  const effects = new Map<string, number>();
  const ticks: string[] = [];
  const beats: string[] = [];
  const engines: JobEngine[] = [0, 1].map(() =>
    createJobEngine({
      db: t.db,
      connection,
      concurrency: 4,
      cronIntervalSeconds: 1,
      handlers: {
        effect: { run: async ({ job }) => void effects.set(job.id, (effects.get(job.id) ?? 0) + 1) },
        tick: { run: async ({ job }) => void ticks.push(job.id) },
        beat: { run: async ({ job }) => void beats.push(job.id) },
      },
    }),
  );
  await Promise.all(engines.map((e) => e.start()));
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.stop({ graceMs: 1_000 })));
    await t.close();
  });

  it("runs each of 200 jobs exactly once, none lost", async () => {
    const t0 = Date.now();
    const ids = await t.db.transaction(async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < 200; i++) out.push(await enqueueJob(tx, { kind: "effect", input: { i } }));
      return out;
    });
    await waitFor(async () => effects.size === 200, "200 effects", 60_000);
    const elapsed = Date.now() - t0;
    console.log(`[postgres] 200 jobs on 2 engines: ${elapsed} ms (${Math.round(200_000 / elapsed)} jobs/s)`);
    await new Promise((r) => setTimeout(r, 500));
    expect([...effects.values()].every((n) => n === 1)).toBe(true);
    const rows = await t.db.select({ state: jobs.state, attempts: jobs.attempts }).from(jobs).where(inArray(jobs.id, ids));
    expect(rows.filter((r) => r.state === "succeeded" && r.attempts === 1)).toHaveLength(200);
  });

  it("runs a cron schedule once per cluster, not once per engine", async () => {
    // pg-boss files cron occurrences in 60-second slots: a per-second expression still yields at
    // most one job a minute. Both engines schedule it and run cron passes every second.
    await Promise.all(engines.map((e) => e.schedule("tick", "* * * * * *")));
    await waitFor(async () => ticks.length > 0, "a cron run", 20_000);
    await new Promise((r) => setTimeout(r, 4_000));
    await engines[0]?.unschedule("tick");
    // One run per minute slot: a second run is the next minute's (the wait may cross a minute).
    const minutes = (await t.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'tick' group by date_trunc('minute', created_on)`)) as unknown as { n: number }[];
    expect(minutes.every((m) => m.n === 1)).toBe(true);
    expect(ticks).toHaveLength(minutes.length);
    expect(ticks.length).toBeLessThanOrEqual(2);
  });

  it("runs an every() job once per slot across the cluster", async () => {
    const perSlot = async () =>
      (await t.db.execute(sql`select singleton_on::text as slot, count(*)::int as n from pgboss.job where name = 'beat' group by 1`)) as unknown as {
        slot: string;
        n: number;
      }[];
    for (const e of engines) e.every("beat", 1);
    await waitFor(async () => (await perSlot()).length >= 4, "four slots");
    await new Promise((r) => setTimeout(r, 300));
    const slots = await perSlot();
    // Four offers a slot (two engines, two each): one job per slot, each run once.
    expect(slots.every((s) => s.n === 1)).toBe(true);
    // None lost: every slot's job runs (they keep coming; wait for those counted).
    await waitFor(async () => beats.length >= slots.length, "every counted slot's job to run");
    expect(new Set(beats).size).toBe(beats.length);
  });
});
