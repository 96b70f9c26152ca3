import { type JobDefinition, JobFailure } from "@trellis/jobs";
import { applyBulkBatch, bulkCounts, pendingItems, resolveBulkItems } from "../domain/project/bulk.js";
import { bulkProjectsInput, type BulkProjectsInput, type BulkResult } from "../routers/project/bulk-schemas.js";
import { domainContextForJob, type JobDeps } from "./deps.js";

/** Projects per transaction: big enough to amortize the commit, small enough for a prompt cancel. */
export const BULK_BATCH_SIZE = 200;

/**
 * The bulk change job: fixes its items once (resolveBulkItems), then works through the ones with
 * no outcome yet, a batch per transaction, with a checkpoint before each (a cancel stops there:
 * nothing after it changes). Every project is its own versioned write; a crash or a retry resumes
 * at the first item without an outcome, so each is changed at most once.
 */
export function projectBulkJob(deps: JobDeps, options: { batchSize?: number } = {}): JobDefinition<BulkProjectsInput, BulkResult> {
  const batchSize = options.batchSize ?? BULK_BATCH_SIZE;
  return {
    // A worker that dies mid-change is noticed within ~30 s (then another resumes the job), not
    // after the 15-minute attempt timeout.
    heartbeatSeconds: 30,
    async run({ job, input: raw, signal, progress, checkpoint }) {
      const parsed = bulkProjectsInput.safeParse(raw);
      // A stored input that no longer parses will not parse on a retry either.
      if (!parsed.success) throw new JobFailure(`The bulk change's input is invalid: ${parsed.error.message}`, "INVALID_INPUT", false);
      const input = parsed.data;
      const ctx = { ...domainContextForJob(deps, job), jobId: job.id };
      const total = await resolveBulkItems(deps.db, job.id, input.selection);
      const counts = await bulkCounts(deps.db, job.id);
      const report = () => {
        progress(counts.total - counts.pending, total, `${counts.applied} applied, ${counts.skipped} skipped, ${counts.conflict} conflicts, ${counts.notFound} not found`);
      };
      report();
      for (;;) {
        await checkpoint();
        const items = await pendingItems(deps.db, job.id, batchSize);
        if (items.length === 0) break;
        const outcomes = await applyBulkBatch(ctx, input.change, items, signal);
        for (const o of outcomes) {
          counts.pending--;
          counts[o.outcome === "not_found" ? "notFound" : o.outcome]++;
        }
        report();
        // Let timers run between batches (progress writes, a stop's grace timer): PGlite answers
        // queries without yielding to them, so a long job would otherwise starve them.
        await new Promise((r) => setImmediate(r));
      }
      const { pending: _, ...result } = await bulkCounts(deps.db, job.id);
      return result;
    },
  };
}

