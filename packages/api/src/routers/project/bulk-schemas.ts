import { z } from "zod";
import { listProjectsInput, projectIdSchema, projectStatusSchema } from "./schemas.js";

// Shared by the server (the bulk procedure, the job handler) and the dashboard (the bulk bar).

/** What a bulk change does to each selected project. */
export const bulkChangeSchema = z.discriminatedUnion("action", [
  z.strictObject({ action: z.literal("archive") }),
  z.strictObject({ action: z.literal("restore") }),
  z.strictObject({ action: z.literal("setStatus"), status: projectStatusSchema }),
]);
export type BulkChange = z.infer<typeof bulkChangeSchema>;

/** Most projects one request may name by id (the input bound allows 256 items per array); select by filter for more. */
export const BULK_MAX_IDS = 250;

/** The list filters (no sort, no paging): "everything matching", resolved when the job starts. */
export const bulkFilterSchema = listProjectsInput.pick({ status: true, ownerId: true, q: true, includeArchived: true });

/**
 * Which projects: by id, each at the version the user saw (a project changed since is reported as
 * a conflict, never overwritten), or by filter, each at the version current when the job starts.
 */
export const bulkSelectionSchema = z.union([
  z.strictObject({
    ids: z
      .array(z.strictObject({ id: projectIdSchema, expectedVersion: z.number().int().min(1).max(2_147_483_647) }))
      .min(1, "Select at least one project")
      .max(BULK_MAX_IDS, `At most ${BULK_MAX_IDS} projects by id; select by filter for more`),
  }),
  z.strictObject({ filter: bulkFilterSchema }),
]);
export type BulkSelection = z.infer<typeof bulkSelectionSchema>;

export const bulkProjectsInput = z.strictObject({ change: bulkChangeSchema, selection: bulkSelectionSchema });
export type BulkProjectsInput = z.infer<typeof bulkProjectsInput>;

/** A bulk change's job result: how many projects ended each way (the items themselves: job.items). */
export const bulkResultSchema = z.object({
  total: z.number().int(),
  applied: z.number().int(),
  skipped: z.number().int(),
  conflict: z.number().int(),
  notFound: z.number().int(),
});
export type BulkResult = z.infer<typeof bulkResultSchema>;
