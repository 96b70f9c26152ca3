import { type ImportField, importItemDetailSchema, type JobItemOutcome, type JobItemView } from "@trellis/api/schemas";
import { outcomeLabels } from "../jobs/job-labels";

/** One row of an import's report, from its job item: where it is in the file and what became of it. */
export interface ImportRow {
  /** The line in the file (1 is the header), when the job said. */
  line: number | undefined;
  /** Messages per CSV column (the file's own header names), then those about the row as a whole. */
  fieldErrors: Array<{ column: string; messages: string[] }>;
  formErrors: string[];
  projectId: string | undefined;
  /** For a conflict: the version the project is at now (edited in Trellis since the last import). */
  currentVersion: number | undefined;
  /** For an update: the fields it writes (a dry run) or wrote. */
  changed: string[];
  overwritten: boolean;
}

export function importRowOf(item: Pick<JobItemView, "detail" | "itemId">): ImportRow {
  const parsed = importItemDetailSchema.safeParse(item.detail);
  const detail = parsed.success ? parsed.data : undefined;
  const lineFromId = Number(item.itemId);
  return {
    line: detail?.line ?? (Number.isInteger(lineFromId) && lineFromId > 0 ? lineFromId : undefined),
    fieldErrors: Object.entries(detail?.fieldErrors ?? {}).map(([column, messages]) => ({ column, messages })),
    formErrors: detail?.formErrors ?? [],
    projectId: detail?.projectId,
    currentVersion: detail?.currentVersion,
    changed: detail?.changed ?? [],
    overwritten: detail?.overwritten === true,
  };
}

/** The counts an import report shows, in reading order; a dry run's say what the rows would do. */
export const importCounts = [
  { outcome: "created", label: "created", dryLabel: "to create" },
  { outcome: "updated", label: "updated", dryLabel: "to update" },
  { outcome: "unchanged", label: "unchanged", dryLabel: "unchanged" },
  { outcome: "conflict", label: "conflicts", dryLabel: "conflicts" },
  { outcome: "error", label: "errors", dryLabel: "errors" },
] as const;

/** A dry run's outcomes say what applying would do. */
export const dryRunOutcomeLabels: Record<JobItemOutcome, string> = {
  ...outcomeLabels,
  created: "Would create",
  updated: "Would update",
  unchanged: "Unchanged",
  conflict: "Conflict",
  error: "Error",
};

/** The project fields a column can fill, in words (the field's own name for people who know the API). */
export const importFieldLabels: Record<ImportField, string> = {
  id: "Project id (id)",
  name: "Name (name)",
  description: "Description (description)",
  status: "Status (status)",
  owner: "Owner email (owner)",
  tags: "Tags (tags)",
  budget: "Budget (budget)",
  dueDate: "Due date (dueDate)",
  version: "Version (version)",
  externalId: "External id (externalId)",
};
