import { jobItems, projectEvents } from "@trellis/db";
import { and, asc, count, eq, gt, isNull, type SQL } from "drizzle-orm";
import { z } from "zod";
import { cursorCodec } from "../../pagination/cursor.js";
import type { JobItemCounts, jobEventsInput, jobItemsInput, JobItemView } from "../../routers/job/schemas.js";
import { jobItemFilterSchema } from "../../routers/job/schemas.js";
import { selectEvents } from "../project/events.js";
import { findVisibleJob, type JobReader } from "./view.js";

/** On the wire: the seq of the page's last item. */
const itemCursor = cursorCodec(z.number().int().min(0).max(2_147_483_647));
/** On the wire: the id of the page's last event. */
const eventCursor = cursorCodec(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER));

/**
 * A job's per-item report in work order (seq), optionally one outcome only ("pending": not done
 * yet), with the counts of every outcome. job_items_outcome_idx (job_id, outcome, seq) serves both.
 */
export async function listJobItems(ctx: JobReader, input: z.output<typeof jobItemsInput>) {
  await findVisibleJob(ctx.db, ctx.actor, input.id);
  const after = input.cursor === undefined ? undefined : itemCursor.decode(input.cursor);
  const outcome: SQL | undefined =
    input.outcome === undefined ? undefined : input.outcome === "pending" ? isNull(jobItems.outcome) : eq(jobItems.outcome, input.outcome);
  const rows = await ctx.db
    .select({
      seq: jobItems.seq,
      itemId: jobItems.itemId,
      expectedVersion: jobItems.expectedVersion,
      outcome: jobItems.outcome,
      detail: jobItems.detail,
      doneAt: jobItems.doneAt,
    })
    .from(jobItems)
    .where(and(eq(jobItems.jobId, input.id), outcome, after === undefined ? undefined : gt(jobItems.seq, after)))
    .orderBy(asc(jobItems.seq))
    .limit(input.limit + 1);
  const items: JobItemView[] = rows.slice(0, input.limit);
  const last = rows.length > input.limit ? items.at(-1) : undefined;

  const grouped = await ctx.db
    .select({ outcome: jobItems.outcome, n: count().mapWith(Number) })
    .from(jobItems)
    .where(eq(jobItems.jobId, input.id))
    .groupBy(jobItems.outcome);
  const counts = Object.fromEntries([...jobItemFilterSchema.options.map((o) => [o, 0]), ["total", 0]]) as JobItemCounts;
  for (const g of grouped) {
    counts[g.outcome ?? "pending"] += g.n;
    counts.total += g.n;
  }
  return { items, nextCursor: last ? itemCursor.encode(last.seq) : null, counts };
}

/** The project audit events a job wrote (project_events.job_id), oldest first: what it did, in order. */
export async function listJobEvents(ctx: JobReader, input: z.output<typeof jobEventsInput>) {
  await findVisibleJob(ctx.db, ctx.actor, input.id);
  const after = input.cursor === undefined ? undefined : eventCursor.decode(input.cursor);
  const rows = await selectEvents(ctx.db)
    .where(and(eq(projectEvents.jobId, input.id), after === undefined ? undefined : gt(projectEvents.id, after)))
    .orderBy(asc(projectEvents.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = rows.length > input.limit ? items.at(-1) : undefined;
  return { items, nextCursor: last ? eventCursor.encode(last.id) : null };
}
