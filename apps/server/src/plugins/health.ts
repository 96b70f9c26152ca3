import type { DbHandle } from "@trellis/db";
import { aliveWorkers } from "@trellis/jobs";
import type { Kv } from "@trellis/kv";
import type { FastifyInstance } from "fastify";

const CHECK_TIMEOUT_MS = 2_000;
/** A worker heartbeats every 5 s: one not seen for three beats is taken for gone. */
export const WORKER_ALIVE_WITHIN_MS = 15_000;

async function check(run: () => Promise<void>): Promise<"ok" | string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS);
      }),
    ]);
    return "ok";
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealth(app: FastifyInstance, deps: { db: DbHandle; kv: Kv; jobsInProcess: boolean }) {
  // Liveness: the process answers. Never touches dependencies, so a slow database
  // does not get healthy instances restarted.
  app.get("/health", async () => ({ status: "ok" }));

  // Readiness: the database answers, and Redis when it is configured. Job workers are reported,
  // not required: this instance serves HTTP whether or not any worker runs (JOBS_IN_PROCESS=false
  // and the workers not up yet, or scaled to 0), and failing /ready then would take every server
  // out of the load balancer for a background concern. Alert on `jobs.workersAlive` instead.
  app.get("/ready", async (_req, reply) => {
    const checks: Record<string, string> = { database: await check(() => deps.db.ping()) };
    if (deps.kv.kind === "redis") checks.redis = await check(() => deps.kv.ping());
    const ready = Object.values(checks).every((c) => c === "ok");
    let workersAlive: number | null = null;
    if (checks.database === "ok") {
      workersAlive = await aliveWorkers(deps.db.db, WORKER_ALIVE_WITHIN_MS).then(
        (rows) => rows.length,
        () => null,
      );
    }
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "unavailable", checks, jobs: { inProcess: deps.jobsInProcess, workersAlive } });
  });
}
