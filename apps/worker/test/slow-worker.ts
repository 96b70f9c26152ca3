// The production worker (runWorkerProcess) plus one test-only kind, `test.slow`, that takes a
// while, so the test can SIGTERM it mid-job. Config from the environment, as main.ts.
import { loadWorkerConfig } from "@trellis/config";
import { runWorkerProcess } from "../src/worker.js";

await runWorkerProcess(loadWorkerConfig(), {
  handlers: {
    "test.slow": {
      run: async ({ progress }) => {
        console.log(JSON.stringify({ msg: "SLOW_RUNNING" }));
        for (let i = 1; i <= 6; i++) {
          await new Promise((r) => setTimeout(r, 250));
          progress(i, 6);
        }
        return "finished";
      },
    },
  },
});
