import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { JOB_KINDS } from "@trellis/api";
import { loadConfig } from "@trellis/config";
import { jobs } from "@trellis/db";
import { createTestDb } from "@trellis/db/testing";
import { aliveWorkers, enqueueJob, getJob } from "@trellis/jobs";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const slowWorker = fileURLToPath(new URL("../test/slow-worker.ts", import.meta.url));

/** A child worker's whole environment: only what the test sets, so nothing of ours leaks into its config. */
const childEnv = (env: Record<string, string>): Record<string, string> => ({ NODE_ENV: "test", ...env });

function spawnWorker(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", entry], { env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  const out = { stdout: "", stderr: "" };
  child.stdout.on("data", (c: Buffer) => (out.stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out.stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, out, exited };
}

async function until<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const kill = (child: ChildProcess) => {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
};

describe("the worker process refuses to start", () => {
  it("on embedded PGlite, saying why", async () => {
    const w = spawnWorker(main, {});
    expect(await w.exited).toBe(1);
    expect(w.out.stderr).toMatch(/needs Postgres \(DATABASE_URL\).*the server runs the jobs itself|JOBS_IN_PROCESS/s);
  });

  it("with a bad setting, naming the variable", async () => {
    const w = spawnWorker(main, { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none", WORKER_CONCURRENCY: "0" });
    expect(await w.exited).toBe(1);
    expect(w.out.stderr).toMatch(/Invalid configuration:\n\s+- WORKER_CONCURRENCY: /);
  });
});

// A worker is a second process on the database, so Postgres only (DATABASE_URL set); an
// unreachable server then fails the file in createTestDb, it never skips.
describe.runIf(loadConfig().databaseUrl)("a worker process on Postgres", () => {
  it("runs a job the test enqueued, heartbeats, runs maintenance, and on SIGTERM finishes its job and exits 0", async () => {
    await using t = await createTestDb();
    const w = spawnWorker(slowWorker, { DATABASE_URL: t.url!, LOG_LEVEL: "info", IDEMPOTENCY_SWEEP_INTERVAL_SECONDS: "1", WORKER_SHUTDOWN_GRACE_MS: "10000" });
    try {
      await until(`the worker to start:\n${w.out.stdout}${w.out.stderr}`, () => w.out.stdout.includes('"msg":"worker started"'), 30_000);
      const [alive] = await aliveWorkers(t.db, 10_000);
      expect(alive).toMatchObject({ mode: "worker", pid: w.child.pid, concurrency: 2 });
      await until("a maintenance run", async () => {
        const [r] = await t.db.select().from(jobs).where(and(eq(jobs.kind, JOB_KINDS.maintenance), eq(jobs.state, "succeeded")));
        return r;
      });

      const id = await t.db.transaction((tx) => enqueueJob(tx, { kind: "test.slow", input: null }));
      await until("the job to run", () => w.out.stdout.includes("SLOW_RUNNING"));
      const t0 = Date.now();
      w.child.kill("SIGTERM");
      expect(await w.exited).toBe(0);
      // It waited for the job (~1.5 s of work), well inside the 10 s grace.
      expect(Date.now() - t0).toBeLessThan(8_000);
      expect(await getJob(t.db, id)).toMatchObject({ state: "succeeded", result: "finished", attempts: 1, progress: { done: 6, total: 6 } });
      const lines = w.out.stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { msg: string; level: number });
      expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["worker started", "worker stopping: no new jobs, running ones get the grace", "worker stopped"]));
      expect(await aliveWorkers(t.db, 60_000)).toEqual([]);
    } finally {
      kill(w.child);
    }
  }, 60_000);
});
