/** The job kinds Trellis runs, by name (the name is stored on each job row and is pg-boss's queue). */
export const JOB_KINDS = {
  /** Bulk status change / archive / restore of a selection of projects (domain/project/bulk.ts). */
  projectBulk: "project.bulk",
  /** Periodic upkeep, once per cluster per interval: idempotency sweep, expiry of finished jobs, stuck-job reconcile. */
  maintenance: "maintenance",
} as const;
export type JobKind = (typeof JOB_KINDS)[keyof typeof JOB_KINDS];
