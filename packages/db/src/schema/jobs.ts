import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.js";
import { jobStates } from "../constants.js";

export { jobStates, type JobState } from "../constants.js";
export const jobState = pgEnum("job_state", jobStates);

export interface JobProgress {
  done: number;
  total: number;
  message?: string;
}

/** What a user sees of a failure: a message and a machine-readable reason, never a stack. */
export interface JobError {
  message: string;
  reason: string;
}

/**
 * The user-visible record of a background job, and the outbox that hands it to the queue
 * (pg-boss): a row is written in the transaction that asks for the job, and a relay sends rows
 * with `relayed_at` null to pg-boss after they commit (pg-boss job id = `id`, or derived from it
 * and `generation` for a job retried by hand).
 */
export const jobs = pgTable(
  "jobs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    state: jobState("state").notNull().default("queued"),
    input: jsonb("input").$type<unknown>(),
    progress: jsonb("progress").$type<JobProgress>(),
    /** Attempts started so far (a crashed or timed-out attempt counts). */
    attempts: integer("attempts").notNull().default(0),
    /** Null until relayed when the caller left it to the kind's default. */
    maxAttempts: integer("max_attempts"),
    result: jsonb("result").$type<unknown>(),
    error: jsonb("error").$type<JobError>(),
    createdBy: uuid("created_by").references(() => users.id),
    requestId: text("request_id"),
    /** Set by a cancel while running; the handler stops at its next checkpoint. */
    cancelRequestedAt: timestamp("cancel_requested_at", { withTimezone: true, precision: 3 }),
    /** Bumped by a retry by hand: each generation is a separate pg-boss job. */
    generation: integer("generation").notNull().default(0),
    relayedAt: timestamp("relayed_at", { withTimezone: true, precision: 3 }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    startedAt: timestamp("started_at", { withTimezone: true, precision: 3 }),
    finishedAt: timestamp("finished_at", { withTimezone: true, precision: 3 }),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    // The relay's scan: only rows still waiting to be handed over are in this index.
    index("jobs_unrelayed_idx").on(t.createdAt).where(sql`${t.relayedAt} is null`),
    index("jobs_created_by_idx").on(t.createdBy, t.createdAt, t.id),
    index("jobs_created_idx").on(t.createdAt, t.id),
    // The maintenance job's expiry scan: only finished jobs are in this index.
    index("jobs_finished_idx").on(t.finishedAt).where(sql`${t.finishedAt} is not null`),
  ],
);

export type JobRow = typeof jobs.$inferSelect;
