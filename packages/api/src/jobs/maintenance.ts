import type { JobDefinition } from "@trellis/jobs";
import type { JobDeps } from "./deps.js";

// OWNED BY HELPER A (replace): the idempotency sweep, expiry of finished jobs, stuck-job reconcile.
export function maintenanceJob(_deps: JobDeps): JobDefinition<unknown, unknown> {
  return {
    run() {
      throw new Error("maintenance job: not written yet");
    },
  };
}
