import { index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { jobs } from "./jobs.js";
import { jobItemOutcomes } from "../constants.js";

export { jobItemOutcomes, type JobItemOutcome } from "../constants.js";
export const jobItemOutcome = pgEnum("job_item_outcome", jobItemOutcomes);

/**
 * The items of a job, fixed when the job first runs (a selection by filter is resolved once), and
 * each item's outcome, written in the same transaction as the item's own effect: after a crash,
 * an item with an outcome is done, exactly once, and one without is still to do. The report a
 * user reads is these rows.
 */
export const jobItems = pgTable(
  "job_items",
  {
    jobId: uuid("job_id")
      .notNull()
      .references(() => jobs.id, { onDelete: "cascade" }),
    /** Position in the job's list, from 0: the order items are worked in. */
    seq: integer("seq").notNull(),
    /** The item's id (a project id; text so other kinds of items fit). */
    itemId: text("item_id").notNull(),
    /** The version the user saw (selected by id), or the one current when the job resolved its selection. */
    expectedVersion: integer("expected_version"),
    /** Null until the item is done. */
    outcome: jobItemOutcome("outcome"),
    /** Small JSON about the outcome, e.g. `{ currentVersion }` of a conflict or `{ message }` of a failure. */
    detail: jsonb("detail").$type<Record<string, unknown>>(),
    doneAt: timestamp("done_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.seq] }),
    // The report filtered by outcome (conflicts first, say) without reading every item.
    index("job_items_outcome_idx").on(t.jobId, t.outcome, t.seq),
  ],
);

export type JobItemRow = typeof jobItems.$inferSelect;

/**
 * One row per running worker (a worker process, or a server running jobs in-process), refreshed
 * every few seconds: whether workers are alive is a query, from any instance.
 */
export const jobWorkers = pgTable("job_workers", {
  id: text("id").primaryKey(),
  /** "worker" (apps/worker) or "embedded" (the server's in-process worker). */
  mode: text("mode").notNull(),
  host: text("host").notNull(),
  pid: integer("pid").notNull(),
  concurrency: integer("concurrency").notNull(),
  startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

export type JobWorkerRow = typeof jobWorkers.$inferSelect;
