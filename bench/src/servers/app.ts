// The app under test: the real Trellis server (tRPC at /trpc, REST at /api/v1), built by
// createServer exactly as apps/server does, over the bench database (and Redis when set).
import { parseConfig } from "@trellis/config";
import { createDb } from "@trellis/db";
import { createServer } from "@trellis/server";
import { serve } from "./protocol.js";

// The rate limiter stays on (its cost is part of every request) with budgets no run can exhaust:
// the bench sends tens of thousands of reads per minute as one user.
const unexhaustibleBudgets: Record<string, string> = Object.fromEntries(
  ["VIEWER", "EDITOR", "ADMIN", "TOKEN", "ANONYMOUS"].map((tier) => [`RATE_LIMIT_${tier}`, "1000000000"]),
);

serve(async (spec) => {
  const config = parseConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    AUTH_SECRET: spec.authSecret,
    DATABASE_URL: spec.databaseUrl,
    REDIS_URL: spec.redisUrl,
    // The write cases leave one replay-cache entry per keyed create in Redis (which the bench does
    // not own and cannot clean by name): an hour instead of 24 h. The cost of a request is the same.
    IDEMPOTENCY_TTL_SECONDS: "3600",
    JOBS_IN_PROCESS: spec.jobsInProcess ? "true" : "false",
    ...unexhaustibleBudgets,
  });
  // Injected (already migrated and seeded by the runner); same pool size as the baseline.
  const db = await createDb({ kind: "postgres", url: spec.databaseUrl, maxConnections: spec.poolSize });
  try {
    const server = await createServer({ config, db });
    const url = await server.start();
    return {
      url,
      async close() {
        await server.stop();
        // Requests whose client went away at the end of a run may still be on their way to a
        // query; let them finish before the injected pool (which stop() leaves open) ends.
        await new Promise((r) => setTimeout(r, 250));
        await db.close();
      },
    };
  } catch (e) {
    await db.close();
    throw e;
  }
});
