import { loadConfig } from "@trellis/config";
import { jobs } from "@trellis/db";
import { inArray } from "drizzle-orm";
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
  const engines: JobEngine[] = [0, 1].map(() =>
    createJobEngine({
      db: t.db,
      connection,
      concurrency: 4,
      cronIntervalSeconds: 1,
      handlers: {
        effect: { run: async ({ job }) => void effects.set(job.id, (effects.get(job.id) ?? 0) + 1) },
        tick: { run: async ({ job }) => void ticks.push(job.id) },
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
    expect(ticks).toHaveLength(1);
  });
});
