// A worker process for the import crash test: works `project.import` jobs and prints "BATCH <n>"
// as it starts each batch, so the test can SIGKILL it mid-apply (most likely mid-transaction).
// Usage: node --import tsx test/import-worker.ts <postgres url>
import { createDb } from "@trellis/db";
import { createJobEngine } from "@trellis/jobs";
import { projectImportJob } from "../src/jobs/project-import.js";
import { BULK_CRASH_TIMEOUT_SECONDS, jobDeps } from "./bulk.js";

const url = process.argv[2] ?? "";
const handle = await createDb({ kind: "postgres", url, maxConnections: 4 });
const job = projectImportJob(jobDeps(handle.db));
let batch = 0;
const engine = createJobEngine({
  db: handle.db,
  connection: { kind: "postgres", url, maxConnections: 2 },
  handlers: {
    "project.import": {
      ...job,
      timeoutSeconds: BULK_CRASH_TIMEOUT_SECONDS,
      run: (c) =>
        job.run({
          ...c,
          checkpoint: async () => {
            await c.checkpoint();
            console.log(`BATCH ${++batch}`);
          },
        }),
    },
  },
});
await engine.start();
console.log("READY");
