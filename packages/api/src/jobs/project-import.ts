import { uploads } from "@trellis/db";
import { type JobDefinition, JobFailure } from "@trellis/jobs";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { importBatch, importCounts } from "../domain/import/apply.js";
import { openCsv } from "../domain/import/csv.js";
import { resolveImportItems } from "../domain/import/resolve.js";
import { planColumns } from "../domain/import/rows.js";
import { importJobInput, type ImportJobInput, type ImportResult } from "../routers/import/schemas.js";
import { domainContextForJob, type JobDeps } from "./deps.js";

/** Rows per transaction: each row is a few statements; 100 keeps a batch (and the audit-order lock it holds) short. */
export const IMPORT_BATCH_SIZE = 100;

/**
 * The import job (dry run or apply): reads the upload once into job items (resolveImportItems),
 * then works through the rows without an outcome, a batch per transaction with a checkpoint
 * before each. Each row's outcome commits with its effect, so a crash or a retry resumes at the
 * first row without one, and every row is applied exactly once.
 */
export function projectImportJob(deps: JobDeps, options: { batchSize?: number } = {}): JobDefinition<ImportJobInput, ImportResult> {
  const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
  return {
    // As the bulk change: a dead worker's import is resumed within ~30 s, not after the timeout.
    heartbeatSeconds: 30,
    async run({ job, input: raw, signal, progress, checkpoint }) {
      const parsed = importJobInput.safeParse(raw);
      if (!parsed.success) throw new JobFailure(`The import's input is invalid: ${parsed.error.message}`, "INVALID_INPUT", false);
      const input = parsed.data;
      const [upload] = await deps.db.select({ bytes: uploads.bytes }).from(uploads).where(eq(uploads.id, input.uploadId)).limit(1);
      if (!upload) throw new JobFailure("The uploaded file is gone", "INVALID_INPUT", false);
      const ctx = { ...domainContextForJob(deps, job), jobId: job.id };
      let plan;
      try {
        // Checked when the job was started; a file that cannot be read now will not be on a retry either.
        plan = planColumns((await openCsv(upload.bytes)).headers, input.mapping);
        await resolveImportItems(deps.db, job.id, input, upload.bytes);
      } catch (error) {
        if (error instanceof TRPCError) throw new JobFailure(error.message, "INVALID_INPUT", false);
        throw error;
      }
      const counts = await importCounts(deps.db, job.id);
      const verb = input.mode === "dryRun" ? "would be " : "";
      const report = () =>
        progress(
          counts.total - counts.pending,
          counts.total,
          `${counts.created} ${verb}created, ${counts.updated} ${verb}updated, ${counts.unchanged} unchanged, ${counts.conflict} conflicts, ${counts.error} errors`,
        );
      report();
      for (;;) {
        await checkpoint();
        const outcomes = await importBatch(ctx, input, plan, batchSize, signal);
        if (outcomes.length === 0) break;
        for (const o of outcomes) {
          counts.pending--;
          counts[o]++;
        }
        report();
        // Let timers run between batches (progress writes, a stop's grace timer): see project-bulk.ts.
        await new Promise((r) => setImmediate(r));
      }
      const { pending: _, ...result } = await importCounts(deps.db, job.id);
      return result;
    },
  };
}
