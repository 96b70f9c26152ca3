// Throughput of one engine on trivial jobs (not a test: prints jobs/s). Usage:
//   pnpm --filter @trellis/jobs exec tsx test/throughput.ts [jobs] [concurrency]
// Embedded PGlite without DATABASE_URL, a fresh Postgres database with it.
import { jobs } from "@trellis/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import { createJobEngine, enqueueJob } from "../src/index.js";
import { jobsTestDb, waitFor } from "./helpers.js";

const n = Number(process.argv[2] ?? 300);
const concurrency = Number(process.argv[3] ?? 2);
const { t, connection } = await jobsTestDb();
const engine = createJobEngine({ db: t.db, connection, concurrency, relayIntervalMs: 50, handlers: { noop: { run: async () => null } } });
await engine.start();
try {
  const t0 = Date.now();
  const ids = await t.db.transaction(async (tx) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(await enqueueJob(tx, { kind: "noop", input: { i } }));
    return out;
  });
  await waitFor(
    async () => {
      const [r] = await t.db
        .select({ c: sql<number>`count(*)`.mapWith(Number) })
        .from(jobs)
        .where(and(inArray(jobs.id, ids), eq(jobs.state, "succeeded")));
      return r?.c === n;
    },
    `${n} jobs`,
    300_000,
  );
  const ms = Date.now() - t0;
  console.log(`${t.kind}: ${n} trivial jobs, concurrency ${concurrency}: ${ms} ms = ${Math.round((n * 1000) / ms)} jobs/s`);
} finally {
  await engine.stop({ graceMs: 1_000 });
  await t.close();
}
