import { jobItemOutcomes, jobStates } from "@trellis/db/constants";
import { z } from "zod";

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
