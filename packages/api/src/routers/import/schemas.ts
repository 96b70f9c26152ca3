import { z } from "zod";
import { EXPORT_COLUMNS, type ExportColumn } from "../project/export-schemas.js";

// Shared by the server (upload, dry run, apply, the import job) and the dashboard (the mapping
// editor, the report table). Browser-safe: no server code.

/** Most bytes an upload may have (20 MB), and most data rows (the header not counted). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 100_000;

/**
 * What a CSV column can be mapped to. The export's columns are all here under their own names
 * (an exported file re-imports as it is); `externalId` is the key of a file from elsewhere.
 * `owner` is an email, `budget` an amount in currency units, `version` only says which version of
 * the project (`id`) the file was exported at.
 */
export const importFields = [...EXPORT_COLUMNS, "externalId"] as const satisfies readonly (ExportColumn | "externalId")[];
export type ImportField = (typeof importFields)[number];
export const importFieldSchema = z.enum(importFields);

const mappingTargets: ReadonlySet<string> = new Set([...importFields, "ignore"]);
const targetList = [...mappingTargets].join(", ");

/**
 * Header -> field, or "ignore". Headers are matched exactly as they appear in the file (a header
 * the file lacks is refused when the job starts). Checked as a whole, in at most two issues: the
 * keys are the client's text, and an issue per entry (each naming its key, and for an enum every
 * allowed value) made a hostile mapping's error answer tens of KB.
 */
export const importMappingSchema = z
  .record(z.string(), z.unknown())
  .superRefine((m, ctx) => {
    const entries = Object.entries(m);
    if (entries.length > 200) ctx.addIssue({ code: "custom", message: "At most 200 columns" });
    const bad = entries.filter(([, v]) => typeof v !== "string" || !mappingTargets.has(v)).length;
    if (bad > 0) ctx.addIssue({ code: "custom", message: `${bad} of the columns map to no field: use one of ${targetList}` });
  })
  .meta({ description: `Column header -> one of ${targetList}` }) as unknown as z.ZodType<
  Record<string, ImportField | "ignore">,
  Record<string, ImportField | "ignore">
>;
export type ImportMapping = z.infer<typeof importMappingSchema>;

/** A header as the alias table sees it: "Due_Date", "dueDate" and " due date " are all "due date". */
export function normalizeHeader(header: string): string {
  return header
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/[\s_\-.]+/g, " ")
    .trim();
}

/** Normalized header -> field. Every field's own name is an alias of itself. */
const ALIASES: Record<string, ImportField> = {
  id: "id",
  "project id": "id",
  version: "version",
  name: "name",
  title: "name",
  "project name": "name",
  project: "name",
  description: "description",
  desc: "description",
  details: "description",
  notes: "description",
  status: "status",
  state: "status",
  owner: "owner",
  "owner email": "owner",
  email: "owner",
  tags: "tags",
  tag: "tags",
  labels: "tags",
  budget: "budget",
  amount: "budget",
  "due date": "dueDate",
  due: "dueDate",
  deadline: "dueDate",
  "external id": "externalId",
  "ext id": "externalId",
  key: "externalId",
};

/**
 * The mapping suggested for a header row: each header that names a field (case-insensitively, or
 * by a common alias) maps to it, the first such header winning; the others are "ignore".
 */
export function suggestMapping(headers: readonly string[]): { mapping: ImportMapping; unknownColumns: string[] } {
  const mapping: ImportMapping = {};
  const taken = new Set<ImportField>();
  const unknownColumns: string[] = [];
  for (const header of headers) {
    const field = ALIASES[normalizeHeader(header)];
    if (field && !taken.has(field)) {
      taken.add(field);
      mapping[header] = field;
    } else {
      mapping[header] = "ignore";
      if (!field) unknownColumns.push(header);
    }
  }
  return { mapping, unknownColumns };
}

export const uploadIdSchema = z.uuid({ message: "Must be an upload id (UUID)" });

/** What POST /imports answers, and import.upload (by id) shows again: enough to review the mapping. */
export const uploadSummarySchema = z.object({
  id: z.uuid(),
  filename: z.string(),
  sizeBytes: z.number().int(),
  encoding: z.enum(["utf-8", "utf-16le", "utf-16be"]),
  delimiter: z.enum([",", ";", "\t"]),
  headers: z.array(z.string()),
  suggestedMapping: importMappingSchema,
  unknownColumns: z.array(z.string()),
  rowCount: z.number().int(),
  createdAt: z.date(),
});
export type UploadSummary = z.infer<typeof uploadSummarySchema>;

export const uploadByIdInput = z.strictObject({ id: uploadIdSchema });

/** import.dryRun: the upload, and the mapping the user reviewed (default: the suggested one). */
export const importDryRunInput = z.strictObject({ uploadId: uploadIdSchema, mapping: importMappingSchema.optional() });
/** import.apply: as the dry run, and whether to write over projects edited in Trellis since the last import. */
export const importApplyInput = importDryRunInput.extend({ overwriteChanged: z.boolean().default(false) });

/** The stored input of a `project.import` job: the mapping resolved (every header), the mode fixed. */
export const importJobInput = z.strictObject({
  uploadId: uploadIdSchema,
  mapping: importMappingSchema,
  mode: z.enum(["dryRun", "apply"]),
  overwriteChanged: z.boolean(),
});
export type ImportJobInput = z.infer<typeof importJobInput>;

/** An import job's result: rows per outcome (a dry run: what they would be). */
export const importResultSchema = z.object({
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  conflict: z.number().int(),
  error: z.number().int(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/**
 * One report row's `detail` (job_items.detail; itemId is the line number): the row's key, its
 * field errors by column header (or `formErrors` for the row as a whole), the project it matched,
 * and for a conflict the version and values it is at now. `changed` lists the fields an update writes.
 */
export const importItemDetailSchema = z.object({
  line: z.number().int(),
  key: z.string().optional(),
  projectId: z.uuid().optional(),
  currentVersion: z.number().int().optional(),
  version: z.number().int().optional(),
  changed: z.array(z.string()).optional(),
  /** On a conflict: the project's current values of the fields the row would change. */
  current: z.record(z.string(), z.unknown()).optional(),
  overwritten: z.boolean().optional(),
  fieldErrors: z.record(z.string(), z.array(z.string())).optional(),
  formErrors: z.array(z.string()).optional(),
});
export type ImportItemDetail = z.infer<typeof importItemDetailSchema>;
