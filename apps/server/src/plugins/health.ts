import type { DbHandle } from "@trellis/db";
import type { Kv } from "@trellis/kv";
import type { FastifyInstance } from "fastify";

const CHECK_TIMEOUT_MS = 2_000;

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

export function registerHealth(app: FastifyInstance, deps: { db: DbHandle; kv: Kv }) {
  // Liveness: the process answers. Never touches dependencies, so a slow database
  // does not get healthy instances restarted.
  app.get("/health", async () => ({ status: "ok" }));

  // Readiness: the database answers, and Redis when it is configured.
  app.get("/ready", async (_req, reply) => {
    const checks: Record<string, string> = { database: await check(() => deps.db.ping()) };
    if (deps.kv.kind === "redis") checks.redis = await check(() => deps.kv.ping());
    const ready = Object.values(checks).every((c) => c === "ok");
    return reply.code(ready ? 200 : 503).send({ status: ready ? "ready" : "unavailable", checks });
  });
}
