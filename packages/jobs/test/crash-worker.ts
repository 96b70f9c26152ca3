// A worker process for the crash test: takes `hang` jobs and never finishes them, so the test can
// SIGKILL it mid-job. Usage: tsx test/crash-worker.ts <postgres url>
import { createDb } from "@trellis/db";
import { createJobEngine } from "../src/index.js";

const url = process.argv[2] ?? "";
const handle = await createDb({ kind: "postgres", url, maxConnections: 2 });
const engine = createJobEngine({
  db: handle.db,
  connection: { kind: "postgres", url, maxConnections: 2 },
  handlers: {
    // The same, with no attempt left after this one (for the reconcile test).
    lastHang: {
      maxAttempts: 1,
      timeoutSeconds: 2,
      run: async () => {
        console.log("RUNNING");
        await new Promise(() => {});
      },
    },
    // A long lease, but a heartbeat: a dead worker is noticed after the heartbeat, not the lease.
    hangBeating: {
      timeoutSeconds: 600,
      heartbeatSeconds: 10,
      run: async () => {
        console.log("RUNNING");
        await new Promise(() => {});
      },
    },
    hang: {
      timeoutSeconds: 2,
      run: async ({ progress }) => {
        progress(1, 2, "started in the child");
        console.log("RUNNING");
        await new Promise(() => {});
      },
    },
  },
});
await engine.start();
console.log("READY");
