import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@trellis/config";
import { importKeys, jobItems, projectEvents, projects } from "@trellis/db";
import { createJobEngine, getJob, type JobDefinition, type JobEngine, JobFailure } from "@trellis/jobs";
import { count, countDistinct, eq, isNull, and, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BULK_CRASH_TIMEOUT_SECONDS, connectionOf, jobDeps, waitFor, waitForState } from "../../test/bulk.js";
import { domainContext } from "../../test/domain.js";
import { createHarness, type Harness } from "../../test/harness.js";
import type { UserActor } from "../domain/context.js";
import { startImport } from "../domain/import/start.js";
import { storeUpload } from "../domain/import/upload.js";
import { projectImportJob } from "./project-import.js";

// Proof 2 of issue 11: a worker SIGKILLed halfway through applying a 20,000-row file; another
// worker finishes it, and every row is applied exactly once (projects, audit events, report).
// A second process cannot share an embedded PGlite, so this runs on Postgres only (DATABASE_URL
// set); an unreachable server then fails the file in createHarness, it never skips. The PGlite
// variant (an attempt interrupted in-process) is in project-import.int.test.ts.

const N = 20_000;
let h: Harness;
let editor: UserActor;
let engine: JobEngine | undefined;
beforeAll(async () => {
  h = await createHarness();
  const u = h.users.editor;
  editor = { kind: "user", userId: u.userId, role: u.role, name: u.name, email: u.email, via: "session" };
});
afterAll(async () => {
  await engine?.stop({ graceMs: 0 });
  await h?.close();
});

const csvOfSize = (tag: string) => {
  const lines = ["external_id,name,status,budget"];
  for (let i = 0; i < N; i++) lines.push(`${tag}-${i},${tag} ${i},active,${i}.50`);
  return Buffer.from(lines.join("\n"));
};

/** Exactly once: N projects, N keys, N audit events of this job (one per project), no row pending. */
async function expectExactlyOnce(jobId: string, tag: string) {
  const row = await waitForState(h.db.db, jobId, ["succeeded", "failed", "cancelled"], 120_000);
  expect(row).toMatchObject({ state: "succeeded", result: { total: N, created: N, updated: 0, unchanged: 0, conflict: 0, error: 0 } });
  expect(row.attempts).toBeGreaterThanOrEqual(2);
  const [made] = await h.db.db.select({ n: count() }).from(projects).where(sql`${projects.name} like ${`${tag} %`}`);
  expect(made?.n).toBe(N);
  const [keys] = await h.db.db.select({ n: count() }).from(importKeys).where(eq(importKeys.jobId, jobId));
  expect(keys?.n).toBe(N);
  const [events] = await h.db.db.select({ n: count(), projects: countDistinct(projectEvents.projectId) }).from(projectEvents).where(eq(projectEvents.jobId, jobId));
  expect(events).toEqual({ n: N, projects: N });
  const [pending] = await h.db.db.select({ n: count() }).from(jobItems).where(and(eq(jobItems.jobId, jobId), isNull(jobItems.outcome)));
  expect(pending?.n).toBe(0);
}

const doneItems = async (jobId: string) =>
  (await h.db.db.select({ n: count() }).from(jobItems).where(and(eq(jobItems.jobId, jobId), sql`${jobItems.outcome} is not null`)))[0]?.n ?? -1;

const startEngine = async (def: JobDefinition<never>) => {
  engine = createJobEngine({ db: h.db.db, connection: connectionOf(h.db), handlers: { "project.import": def }, relayIntervalMs: 20, superviseIntervalSeconds: 1 });
  await engine.start();
};

describe("an import whose worker dies mid-apply", () => {
  it("in-process (both modes): an attempt aborted inside batch 100 of 200 rolls that batch back; the next attempt finishes every row exactly once", async () => {
    const tag = `inproc-${crypto.randomUUID().slice(0, 8)}`;
    const ctx = domainContext({ db: h.db.db, kv: h.kv }, editor);
    const file = await storeUpload(ctx, { filename: "big.csv", contentType: "text/csv", bytes: csvOfSize(tag) });
    // No dead worker to wait out here: a long attempt timeout, so only the abort interrupts it.
    const inner = projectImportJob(jobDeps(h.db.db));
    let n = 0;
    await startEngine({
      ...inner,
      timeoutSeconds: 300,
      run: (c) => {
        const crash = new AbortController();
        return inner.run({
          ...c,
          signal: crash.signal,
          checkpoint: async () => {
            await c.checkpoint();
            if (++n === 100) crash.abort(new JobFailure("simulated crash", "INTERRUPTED"));
          },
        });
      },
    } as JobDefinition<never>);
    const t0 = performance.now();
    const job = await h.db.db.transaction((tx) => startImport({ ...ctx, db: tx }, { uploadId: file.id, mode: "apply" }));
    await waitFor(async () => (await getJob(h.db.db, job.id))?.state === "retrying", "the interrupted attempt", 120_000);
    const firstMs = performance.now() - t0;
    await engine?.stop({ graceMs: 0 });
    expect(await doneItems(job.id)).toBe(9_900);
    const t1 = performance.now();
    await startEngine({ ...inner, timeoutSeconds: 300 } as JobDefinition<never>);
    await expectExactlyOnce(job.id, tag);
    const secondMs = performance.now() - t1;
    console.log(
      `[${h.db.url ? "postgres" : "pglite"}] 20k apply: 9,900 rows in ${Math.round(firstMs)} ms (${Math.round(9_900 / (firstMs / 1000))} rows/s incl. reading the file), the other 10,100 in ${Math.round(secondMs)} ms (${Math.round(10_100 / (secondMs / 1000))} rows/s incl. the retry delay)`,
    );
    await engine?.stop({ graceMs: 0 });
    engine = undefined;
  }, 240_000);

  it.runIf(loadConfig().databaseUrl)("a worker process SIGKILLed mid-apply: a new worker finishes it, every row exactly once", async () => {
    const tag = `crash-${crypto.randomUUID().slice(0, 8)}`;
    const ctx = domainContext({ db: h.db.db, kv: h.kv }, editor);
    const file = await storeUpload(ctx, { filename: "big.csv", contentType: "text/csv", bytes: csvOfSize(tag) });

    const worker = fileURLToPath(new URL("../../test/import-worker.ts", import.meta.url));
    const packageDir = fileURLToPath(new URL("../..", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", worker, h.db.url ?? ""], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((r) => child.once("exit", r));
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(async () => out.includes("READY"), `the child worker to start:\n${out}`, 30_000);
      const t0 = performance.now();
      const job = await h.db.db.transaction((tx) => startImport({ ...ctx, db: tx }, { uploadId: file.id, mode: "apply" }));
      // Halfway: 100 batches of the 200 (100 rows each).
      await waitFor(async () => out.includes("BATCH 100"), `the child to be working batch 100:\n${out}`, 120_000);
      const firstRate = (99 * 100) / ((performance.now() - t0) / 1000);
      child.kill("SIGKILL");
      await exited;
      expect((await getJob(h.db.db, job.id))?.state).toBe("running");
      const done = await doneItems(job.id);
      expect(done).toBeGreaterThanOrEqual(5_000);
      expect(done).toBeLessThan(N);
      console.log(`[postgres] killed the worker with ${done}/${N} rows done (${Math.round(firstRate)} rows/s before the kill)`);

      const t1 = performance.now();
      await startEngine({ ...projectImportJob(jobDeps(h.db.db)), timeoutSeconds: BULK_CRASH_TIMEOUT_SECONDS } as JobDefinition<never>);
      await expectExactlyOnce(job.id, tag);
      console.log(`[postgres] resumed and finished in ${Math.round(performance.now() - t1)} ms (incl. waiting out the dead worker's lease)`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 240_000);
});
