/** The job kinds Trellis runs, by name (the name is stored on each job row and is pg-boss's queue). */
export const JOB_KINDS = {
  /** Bulk status change / archive / restore of a selection of projects (domain/project/bulk.ts). */
  projectBulk: "project.bulk",
  projectImport: "project.import", // A CSV import's dry run or apply, row by row (jobs/project-import.ts).
  /** The projects matching the list's filters as a CSV file (jobs/project-export.ts). */
  projectExport: "project.export",
  /** Periodic upkeep, once per cluster per interval: idempotency sweep, expiry of finished jobs, stuck-job reconcile. */
  maintenance: "maintenance",
} as const;
export type JobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];
