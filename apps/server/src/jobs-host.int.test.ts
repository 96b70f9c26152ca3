import { aliveWorkers, enqueueJob, getJob } from "@trellis/jobs";
import { describe, expect, it } from "vitest";
import { startTestServer } from "./testing.js";

describe("the server's in-process job engine", () => {
  it("works jobs with the api's handlers, heartbeats as embedded, and stops before the database closes", async () => {
    await using s = await startTestServer({ jobs: true });
    const engine = s.server.jobs;
    expect(engine).toBeDefined();
    expect(await aliveWorkers(s.db.db, 10_000)).toMatchObject([{ id: engine?.workerId, mode: "embedded", concurrency: 2 }]);

    // A kind from createJobHandlers, enqueued as a mutation would: it runs without being asked twice.
    const id = await s.db.db.transaction((tx) => enqueueJob(tx, { kind: "maintenance", input: null }));
    const deadline = Date.now() + 10_000;
    while ((await getJob(s.db.db, id))?.state !== "succeeded") {
      if (Date.now() > deadline) throw new Error(`job ended ${(await getJob(s.db.db, id))?.state}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await getJob(s.db.db, id))?.result).toMatchObject({ idempotencyRecordsSwept: 0, jobsExpired: 0, jobsReconciled: 0 });

    // stop() stops the engine (its heartbeat row goes) while the database is still open.
    await s.server.stop();
    expect(await aliveWorkers(s.db.db, 60_000)).toEqual([]);
  }, 30_000);
});
