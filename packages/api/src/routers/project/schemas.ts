import { projectActions, projectStatuses } from "@trellis/db/constants";
import { z } from "zod";
import type { ErrorData } from "../../errors.js";

// Shared by the server (procedure input/output) and the dashboard (form validation).

export const projectStatusSchema = z.enum(projectStatuses);
export const projectIdSchema = z.uuid({ message: "Must be a project id (UUID)" });

// Postgres text cannot hold U+0000: reject it as a field error instead of failing the query (500).
const noNul = [(s: string) => !s.includes("\u0000"), "Must not contain a NUL character"] as const;
// Nor can jsonb (the audit event's before/after) hold a lone UTF-16 surrogate (also a 500 once).
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = [(s: string) => !loneSurrogate.test(s), "Must be valid Unicode text"] as const;
const name = z.string().trim().min(1, "Name is required").max(200, "At most 200 characters").refine(...noNul).refine(...wellFormed);
const description = z.string().max(10_000, "At most 10,000 characters").refine(...noNul).refine(...wellFormed);
const tag = z.string().trim().min(1, "Tags cannot be empty").max(32, "Tags are at most 32 characters").refine(...noNul).refine(...wellFormed);
const tags = z.array(tag).max(20, "At most 20 tags");
const budgetCents = z
  .number()
  .int("Budget must be a whole number of cents")
  .min(0, "Budget cannot be negative")
  .max(Number.MAX_SAFE_INTEGER, "Budget is too large");
const dueDate = z.iso.date("Use a date like 2026-12-31").refine((d) => d >= "1900-01-01" && d <= "9999-12-31", "Date out of range");
const version = z.number().int().min(1, "Versions start at 1").max(2_147_483_647);

/**
 * A project's editable fields, each once: the source of the create and patch schemas, of the field
 * list that merge, history, revert and the dashboard walk (projectEditableFields), and of the
 * columns a versioned write may set.
 */
const editableShape = {
  name,
  description,
  status: projectStatusSchema,
  ownerId: z.uuid(),
  tags,
  budgetCents: budgetCents.nullable(),
  dueDate: dueDate.nullable(),
};
export type ProjectEditableField = keyof typeof editableShape;
/** The editable fields in form order (the order of the schema). */
export const projectEditableFields = Object.keys(editableShape) as readonly ProjectEditableField[];

/**
 * What a create sends: the editable fields, all but the name with a default. Unknown keys are
 * rejected so a typo never silently does nothing.
 */
export const projectFieldsSchema = z.strictObject(editableShape).extend({
  description: editableShape.description.default(""),
  status: editableShape.status.default("planning"),
  ownerId: editableShape.ownerId.optional(),
  tags: editableShape.tags.default([]),
  budgetCents: editableShape.budgetCents.default(null),
  dueDate: editableShape.dueDate.default(null),
});
export const createProjectInput = projectFieldsSchema;
export type CreateProjectInput = z.input<typeof createProjectInput>;

/** What an update sends: any of the editable fields, no defaults (an absent field is left as it is). */
export const projectPatchSchema = z.strictObject(editableShape).partial();
export type ProjectPatch = z.infer<typeof projectPatchSchema>;

/**
 * `expectedVersion` is the version the caller last read. REST callers may send `If-Match` instead,
 * so at run time the schema lets it be absent and the precondition middleware requires one of the
 * two. The static type stays `number`: typed (tRPC) callers must always send it. Handlers read the
 * resolved `ctx.precondition`, never this field.
 */
const expectedVersion = version.optional() as unknown as typeof version;
export const updateProjectInput = z.strictObject({
  id: projectIdSchema,
  expectedVersion,
  patch: projectPatchSchema,
});
export const versionedIdInput = z.strictObject({ id: projectIdSchema, expectedVersion });
export const byIdInput = z.strictObject({ id: projectIdSchema });

export const projectSorts = ["createdAt_desc", "createdAt_asc", "updatedAt_desc", "name_asc", "name_desc"] as const;
export type ProjectSort = (typeof projectSorts)[number];

/** Accepts real booleans (tRPC) and "true"/"false" query strings (REST). */
const queryBoolean = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

/** Sent by tRPC infinite queries with every page; these lists only page forward, so it is ignored. */
const infiniteDirection = z.enum(["forward", "backward"]).optional();

export const listProjectsInput = z.strictObject({
  status: projectStatusSchema.optional(),
  ownerId: z.uuid().optional(),
  q: z.string().trim().max(200, "At most 200 characters").refine(...noNul).optional(),
  includeArchived: queryBoolean.default(false),
  sort: z.enum(projectSorts).default("createdAt_desc"),
  limit: z.number().int().min(1).max(500, "At most 500 per page").default(50),
  cursor: z.string().max(512).optional(),
  direction: infiniteDirection,
});
export type ListProjectsInput = z.input<typeof listProjectsInput>;

export const projectSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  status: projectStatusSchema,
  ownerId: z.uuid(),
  ownerName: z.string(),
  tags: z.array(z.string()),
  budgetCents: z.number().int().nullable(),
  dueDate: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  archivedAt: z.date().nullable(),
  version: z.number().int(),
});
export type Project = z.infer<typeof projectSchema>;

export const projectListSchema = z.object({
  items: z.array(projectSchema),
  nextCursor: z.string().nullable(),
});

export const projectStatsSchema = z.object({
  total: z.number().int(),
  archived: z.number().int(),
  overdue: z.number().int(),
  byStatus: z.array(
    z.object({ status: projectStatusSchema, count: z.number().int(), budgetCents: z.number().int() }),
  ),
});

export const activityInput = z.strictObject({
  id: projectIdSchema,
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
  direction: infiniteDirection,
});

export const projectEventSchema = z.object({
  id: z.number().int(),
  action: z.enum(projectActions),
  actorId: z.uuid(),
  actorName: z.string(),
  changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  version: z.number().int(),
  requestId: z.string(),
  createdAt: z.date(),
});
export const activitySchema = z.object({
  items: z.array(projectEventSchema),
  nextCursor: z.string().nullable(),
});
export type ProjectEvent = z.infer<typeof projectEventSchema>;

const editableMask = Object.fromEntries(projectEditableFields.map((f) => [f, true])) as Record<ProjectEditableField, true>;
export const projectSnapshotSchema = projectSchema.pick(editableMask);
export type ProjectSnapshot = z.infer<typeof projectSnapshotSchema>;

export const projectHistorySchema = z.array(
  z.object({
    version: z.number().int(),
    action: z.enum(projectActions),
    actorId: z.uuid(),
    actorName: z.string(),
    changedFields: z.array(z.string()),
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
    snapshot: projectSnapshotSchema,
    createdAt: z.date(),
  }),
);
export type ProjectHistoryEntry = z.infer<typeof projectHistorySchema>[number];

export const revertProjectInput = z.strictObject({
  id: projectIdSchema,
  toVersion: version,
  expectedVersion,
});

/** The data of an error of a project write: on VERSION_CONFLICT / VERSION_MISMATCH, `current` is the project. */
export type ProjectErrorData = ErrorData<Project>;

// Projects are a versioned entity: a conflict's `current` may be a project (see errors.ts).
declare module "../../errors.js" {
  interface CurrentRecords {
    project: Project;
  }
}
