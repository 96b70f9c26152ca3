import { ConfigError, loadWorkerConfig } from "@trellis/config";
import { EMBEDDED_REFUSED, runWorkerProcess } from "./worker.js";

try {
  await runWorkerProcess(loadWorkerConfig());
} catch (e) {
  // A bad environment or an embedded database: one clear line, no stack.
  console.error(e instanceof ConfigError || (e instanceof Error && e.message === EMBEDDED_REFUSED) ? e.message : e);
  process.exit(1);
}
