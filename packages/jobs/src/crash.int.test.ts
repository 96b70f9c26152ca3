import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadConfig } from "@trellis/config";
import { afterAll, describe, expect, it } from "vitest";
import { jobsTestDb, waitFor } from "../test/helpers.js";
import { createJobEngine, enqueueJob, getJob, reconcileStuckJobs } from "./index.js";

const worker = fileURLToPath(new URL("../test/crash-worker.ts", import.meta.url));

// A second process cannot share an embedded PGlite, so this runs on Postgres only (DATABASE_URL
// set); an unreachable server then fails the file in createTestDb, it never skips.
describe.runIf(loadConfig().databaseUrl)("a worker killed mid-job", async () => {
  const { t, connection } = await jobsTestDb();
  afterAll(() => t.close());

  /** Starts the child worker, enqueues a `kind` job, waits until the child runs it, SIGKILLs it. */
  async function killMidJob(kind: string): Promise<string> {
    const child = spawn(process.execPath, ["--import", "tsx", worker, t.url ?? ""], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((r) => child.once("exit", r));
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(async () => out.includes("READY"), `the child worker to start:\n${out}`, 30_000);
      const id = await t.db.transaction((tx) => enqueueJob(tx, { kind, input: null }));
      await waitFor(async () => out.includes("RUNNING"), "the child to take the job");
      child.kill("SIGKILL");
      await exited;
      return id;
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }

  it("during its last attempt: pg-boss fails the job without us, and reconcile ends the row INTERRUPTED", async () => {
    const id = await killMidJob("lastHang");
    expect((await getJob(t.db, id))?.state).toBe("running");
    const engine = createJobEngine({ db: t.db, connection, superviseIntervalSeconds: 1, handlers: { lastHang: { maxAttempts: 1, timeoutSeconds: 2, run: async () => "never" } } });
    await engine.start();
    try {
      // pg-boss's supervisor expires the attempt (lease = timeout + 1 s) and, with no retry left, fails it.
      await waitFor(async () => (await reconcileStuckJobs(t.db, engine)) === 1, "reconcile to end the row", 30_000);
      expect(await getJob(t.db, id)).toMatchObject({ state: "failed", attempts: 1, error: { reason: "INTERRUPTED" } });
    } finally {
      await engine.stop({ graceMs: 1_000 });
    }
  }, 60_000);

  it("is picked up again after its lease expires, and the row ends right", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", worker, t.url ?? ""], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise((r) => child.once("exit", r));
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      await waitFor(async () => out.includes("READY"), `the child worker to start:\n${out}`, 30_000);
      const id = await t.db.transaction((tx) => enqueueJob(tx, { kind: "hang", input: null }));
      await waitFor(async () => out.includes("RUNNING"), "the child to take the job");
      child.kill("SIGKILL");
      await exited;
      expect((await getJob(t.db, id))?.state).toBe("running");

      const t0 = Date.now();
      const engine = createJobEngine({ db: t.db, connection, superviseIntervalSeconds: 1, handlers: { hang: { timeoutSeconds: 2, run: async () => "finished here" } } });
      await engine.start();
      try {
        const row = await waitFor(async () => {
          const r = await getJob(t.db, id);
          return r?.state === "succeeded" && r;
        }, "the job to be run again", 30_000);
        console.log(`[postgres] picked up again ${Date.now() - t0} ms after the kill`);
        expect(row).toMatchObject({ attempts: 2, result: "finished here", error: null });
      } finally {
        await engine.stop({ graceMs: 1_000 });
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  }, 60_000);

  it("with a heartbeat, is picked up again after the heartbeat lapses, long before its lease", async () => {
    const id = await killMidJob("hangBeating");
    const t0 = Date.now();
    const engine = createJobEngine({
      db: t.db,
      connection,
      superviseIntervalSeconds: 1,
      handlers: { hangBeating: { timeoutSeconds: 600, heartbeatSeconds: 10, run: async () => "resumed" } },
    });
    await engine.start();
    try {
      const row = await waitFor(async () => {
        const r = await getJob(t.db, id);
        return r?.state === "succeeded" && r;
      }, "the job to be run again", 45_000);
      const took = Date.now() - t0;
      console.log(`[postgres] heartbeat: picked up again ${took} ms after the kill (lease 600 s)`);
      expect(took).toBeLessThan(45_000);
      expect(row).toMatchObject({ attempts: 2, result: "resumed" });
    } finally {
      await engine.stop({ graceMs: 1_000 });
    }
  }, 90_000);
});
