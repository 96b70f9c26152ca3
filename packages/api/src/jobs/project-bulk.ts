import type { JobDefinition } from "@trellis/jobs";
import type { BulkProjectsInput, BulkResult } from "../routers/project/bulk-schemas.js";
import type { JobDeps } from "./deps.js";

// OWNED BY HELPER B (replace): resolves the selection into job_items once, then applies it in batches.
export function projectBulkJob(_deps: JobDeps): JobDefinition<BulkProjectsInput, BulkResult> {
  return {
    run() {
      throw new Error("project.bulk job: not written yet");
    },
  };
}
