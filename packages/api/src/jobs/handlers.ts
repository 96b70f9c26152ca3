import type { JobHandlers } from "@trellis/jobs";
import type { JobDeps } from "./deps.js";
import { JOB_KINDS } from "./kinds.js";
import { maintenanceJob } from "./maintenance.js";
import { projectBulkJob } from "./project-bulk.js";
import { projectImportJob } from "./project-import.js";
import { projectExportJob } from "./project-export.js";

/** Every job kind's handler, for a host's job engine (the worker, or the server in embedded mode). */
export function createJobHandlers(deps: JobDeps): JobHandlers {
  return {
    [JOB_KINDS.projectBulk]: projectBulkJob(deps),
    [JOB_KINDS.projectExport]: projectExportJob(deps),
    [JOB_KINDS.maintenance]: maintenanceJob(deps),
    [JOB_KINDS.projectImport]: projectImportJob(deps),
  };
}
