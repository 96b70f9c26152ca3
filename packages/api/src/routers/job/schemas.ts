import { jobItemOutcomes, jobStates } from "@trellis/db/constants";
import { z } from "zod";
import { projectEventSchema } from "../project/schemas.js";

// Shared by the server (job procedures) and the dashboard (the Jobs page).

export const jobIdSchema = z.uuid({ message: "Must be a job id (UUID)" });
export const jobStateSchema = z.enum(jobStates);

/** A job as users see it: never a stack trace, only a message and a reason. */
export const jobSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  state: jobStateSchema,
  progress: z.object({ done: z.number(), total: z.number(), message: z.string().optional() }).nullable(),
  attempts: z.number().int(),
  maxAttempts: z.number().int().nullable(),
  /**
   * What the job was asked to do, in short: a bulk change's `{ change, selection }` with a
   * selection by id shortened to `{ ids: <count> }` (the items themselves: job.items).
   */
  input: z.unknown(),
  /** Small JSON: the kind's result (a bulk change: bulkResultSchema). */
  result: z.unknown(),
  error: z.object({ message: z.string(), reason: z.string() }).nullable(),
  createdBy: z.uuid().nullable(),
  createdByName: z.string().nullable(),
  requestId: z.string().nullable(),
  /** A cancel was asked for while it ran; it stops at its next checkpoint. */
  cancelRequested: z.boolean(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  updatedAt: z.date(),
});
export type JobView = z.infer<typeof jobSchema>;

export const jobItemOutcomeSchema = z.enum(jobItemOutcomes);

/** One item of a job's report (a bulk change: one project). */
export const jobItemSchema = z.object({
  seq: z.number().int(),
  itemId: z.string(),
  expectedVersion: z.number().int().nullable(),
  outcome: jobItemOutcomeSchema.nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  doneAt: z.date().nullable(),
});
export type JobItemView = z.infer<typeof jobItemSchema>;

export const jobIdInput = z.strictObject({ id: jobIdSchema });

const cursorText = z.string().max(200);

export const listJobsInput = z.strictObject({
  /** "mine": the jobs you started; "all": everyone's (admins only). */
  scope: z.enum(["mine", "all"]).default("mine"),
  kind: z.string().min(1).max(100).optional(),
  states: z.array(jobStateSchema).min(1).max(jobStates.length).optional(),
  limit: z.number().int().min(1).max(100).default(20),
  cursor: cursorText.optional(),
});
export type ListJobsInput = z.input<typeof listJobsInput>;

export const jobListSchema = z.object({ items: z.array(jobSchema), nextCursor: z.string().nullable() });

/** An item still to do has no outcome yet: filter on it as "pending". */
export const jobItemFilterSchema = z.enum([...jobItemOutcomes, "pending"]);
export type JobItemFilter = z.infer<typeof jobItemFilterSchema>;

export const jobItemsInput = z.strictObject({
  id: jobIdSchema,
  outcome: jobItemFilterSchema.optional(),
  cursor: cursorText.optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

/** How many of a job's items ended each way (pending: not done yet), and in all. */
export const jobItemCountsSchema = z.object({
  ...(Object.fromEntries(jobItemFilterSchema.options.map((o) => [o, z.number().int()])) as Record<JobItemFilter, z.ZodNumber>),
  total: z.number().int(),
});
export type JobItemCounts = z.infer<typeof jobItemCountsSchema>;

export const jobItemsSchema = z.object({
  items: z.array(jobItemSchema),
  nextCursor: z.string().nullable(),
  counts: jobItemCountsSchema,
});

export const jobEventsInput = z.strictObject({
  id: jobIdSchema,
  cursor: cursorText.optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

/** A project change the job made (project_events.job_id), oldest first: the job's audit trail. */
export const jobEventSchema = projectEventSchema.extend({ projectId: z.uuid() });
export const jobEventsSchema = z.object({ items: z.array(jobEventSchema), nextCursor: z.string().nullable() });

/**
 * A progress event's id: `<updatedAt ms>-<tiebreak>-<digest of what it showed>`. Ids of one job
 * strictly increase (ordered by the two numbers), and the digest lets a reconnect tell whether
 * anything changed since the event it names.
 */
export const jobProgressEventId = z.string().regex(/^\d{1,15}-\d{1,9}-[0-9a-f]{8}$/, "A job progress event id");

/** `lastEventId`: the id of the last progress event you received (tRPC's SSE link sends it on reconnect). */
export const jobProgressInput = z.strictObject({
  id: jobIdSchema,
  lastEventId: jobProgressEventId.nullish(),
});
