import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@trellis/config";
import { getJob, type JobDefinition, type JobEngine, JobFailure } from "@trellis/jobs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BULK_CRASH_TIMEOUT_SECONDS, effectsOf, itemsOf, jobDeps, seedProjects, startEngine, waitFor, waitForState } from "../../test/bulk.js";
import { domainContext } from "../../test/domain.js";
import { createHarness, type Harness } from "../../test/harness.js";
import type { UserActor } from "../domain/context.js";
import { startBulkChange } from "../domain/project/bulk-start.js";
import { projectBulkJob } from "./project-bulk.js";

// Proof 3 of issue 10: a 2,000-project bulk change whose worker dies mid-job is finished by
// another, every project changed exactly once (one audit event each with the job id, version +1).

const N = 2_000;
let h: Harness;
let editor: UserActor;
const engines: JobEngine[] = [];
beforeAll(async () => {
  h = await createHarness();
  const u = h.users.editor;
  editor = { kind: "user", userId: u.userId, role: u.role, name: u.name, email: u.email, via: "session" };
});
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.stop({ graceMs: 0 })));
});
afterAll(() => h?.close());

const bulkJob = (): JobDefinition<never> => ({ ...projectBulkJob(jobDeps(h.db.db)), timeoutSeconds: BULK_CRASH_TIMEOUT_SECONDS }) as JobDefinition<never>;

async function startArchiveAll(tag: string) {
  const ids = await seedProjects(h.db.db, editor.userId, N, tag);
  const job = await h.db.db.transaction((tx) =>
    startBulkChange(domainContext({ db: tx, kv: h.kv }, editor), { change: { action: "archive" }, selection: { filter: { q: tag, includeArchived: false } } }),
  );
  return { ids, job };
}

/** Exactly once: every project at version 2 with one `archived` event of this job, and the report says so. */
async function expectExactlyOnce(jobId: string, ids: string[]) {
  const row = await waitForState(h.db.db, jobId, ["succeeded", "failed", "cancelled"], 60_000);
  expect(row).toMatchObject({ state: "succeeded", result: { total: N, applied: N, skipped: 0, conflict: 0, notFound: 0 } });
  expect(row.attempts).toBeGreaterThanOrEqual(2);
  const { versions, events, eventsPer } = await effectsOf(h.db.db, jobId, ids);
  expect(versions.size).toBe(N);
  expect([...versions.values()].every((v) => v === 2)).toBe(true);
  expect(events.length).toBe(N);
  expect(eventsPer.size).toBe(N);
  expect(events.every((e) => e.version === 2)).toBe(true);
  expect((await itemsOf(h.db.db, jobId)).every((i) => i.outcome === "applied")).toBe(true);
}

describe("a bulk change whose attempt is interrupted", () => {
  it("in-process: an attempt aborted inside its third batch's transaction rolls that batch back; a second engine finishes exactly once", async () => {
    const { ids, job } = await startArchiveAll(crypto.randomUUID());
    const inner = projectBulkJob(jobDeps(h.db.db));
    let n = 0;
    const first = await startEngine(h.db, {
      ...inner,
      timeoutSeconds: BULK_CRASH_TIMEOUT_SECONDS,
      run: (c) => {
        // The attempt's signal, aborted (as a stop past its grace would) as batch 3 begins: the
        // batch sees it in its transaction, after its writes, and rolls back.
        const crash = new AbortController();
        return inner.run({
          ...c,
          signal: crash.signal,
          checkpoint: async () => {
            await c.checkpoint();
            if (++n === 3) crash.abort(new JobFailure("simulated crash", "INTERRUPTED"));
          },
        });
      },
    } as JobDefinition<never>);
    const interrupted = await waitFor(async () => {
      const r = await getJob(h.db.db, job.id);
      return r?.state === "retrying" && r;
    }, "the interrupted attempt to be recorded");
    await first.stop({ graceMs: 0 });
    expect(interrupted).toMatchObject({ attempts: 1, error: { reason: "INTERRUPTED" } });
    // Two whole batches of 200 are done; the third left nothing behind.
    const done = (await itemsOf(h.db.db, job.id)).filter((i) => i.outcome !== null).length;
    expect(done).toBe(400);
    expect((await effectsOf(h.db.db, job.id, ids)).events.length).toBe(400);

    engines.push(await startEngine(h.db, bulkJob()));
    await expectExactlyOnce(job.id, ids);
  }, 60_000);

  // A second process cannot share an embedded PGlite, so this runs on Postgres only (DATABASE_URL
  // set); an unreachable server then fails the file in createHarness, it never skips.
  it.runIf(loadConfig().databaseUrl)("a worker process SIGKILLed mid-job: a new worker finishes it exactly once", async () => {
    const worker = fileURLToPath(new URL("../../test/bulk-worker.ts", import.meta.url));
    const packageDir = fileURLToPath(new URL("../..", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", worker, h.db.url ?? ""], { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((r) => child.once("exit", r));
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(async () => out.includes("READY"), `the child worker to start:\n${out}`, 30_000);
      const { ids, job } = await startArchiveAll(crypto.randomUUID());
      await waitFor(async () => out.includes("BATCH 4"), `the child to be working batch 4:\n${out}`);
      child.kill("SIGKILL");
      await exited;
      const killed = await getJob(h.db.db, job.id);
      expect(killed?.state).toBe("running");
      const done = (await itemsOf(h.db.db, job.id)).filter((i) => i.outcome !== null).length;
      expect(done).toBeGreaterThanOrEqual(600);
      expect(done).toBeLessThan(N);
      console.log(`[postgres] killed the worker with ${done}/${N} items done`);

      engines.push(await startEngine(h.db, bulkJob()));
      await expectExactlyOnce(job.id, ids);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 90_000);
});
