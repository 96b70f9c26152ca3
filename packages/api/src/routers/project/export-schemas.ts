import { z } from "zod";
import { listProjectsInput } from "./schemas.js";

// Shared by the server (the export procedure and job, the download) and the dashboard (the
// "Export" button, the Jobs page's download link). Browser-safe: no server code.

/**
 * The export's header row, in file order: the field names an import accepts, so an exported file
 * re-imports as it is. The import reads this list (one source for both directions): `id` and
 * `version` let a re-import match each row to its project and see whether it was edited since.
 * Cells: `owner` is the owner's email; `tags` joined by TAG_SEPARATOR (see joinTags/splitTags);
 * `budget` in currency units with two decimals ("1234.50", empty for none); `dueDate` YYYY-MM-DD;
 * text starting with = + - @ tab CR gets a leading apostrophe (formula neutralisation), which an
 * import strips again.
 */
export const EXPORT_COLUMNS = ["id", "name", "description", "status", "owner", "tags", "budget", "dueDate", "version"] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** Between tags in the `tags` cell. A tag's own `;` and `\` are escaped with `\`. */
export const TAG_SEPARATOR = ";";

/** The `tags` cell: tags joined by `;`, each tag's `\` and `;` escaped so splitTags gives them back. */
export const joinTags = (tags: readonly string[]): string => tags.map((t) => t.replace(/[\\;]/g, (c) => `\\${c}`)).join(TAG_SEPARATOR);

/** The inverse of joinTags (an import's reading of the `tags` cell); empty parts are dropped. */
export function splitTags(cell: string): string[] {
  const tags: string[] = [];
  let current = "";
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i];
    if (c === "\\" && i + 1 < cell.length) current += cell[++i];
    else if (c === TAG_SEPARATOR) {
      tags.push(current);
      current = "";
    } else current += c;
  }
  tags.push(current);
  return tags.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** The `budget` cell from cents: exact (integer arithmetic, no float rounding), "" for none. */
export function budgetCell(cents: number | null): string {
  if (cents === null) return "";
  return `${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** What to export: the project list's filters and sort (no paging: everything that matches). */
export const exportProjectsInput = listProjectsInput.pick({ status: true, ownerId: true, q: true, includeArchived: true, sort: true });
export type ExportProjectsInput = z.input<typeof exportProjectsInput>;

/** The artifact of a project export, by name within its job (job_artifact_chunks.name). */
export const EXPORT_ARTIFACT_NAME = "projects.csv";
export const EXPORT_CONTENT_TYPE = "text/csv; charset=utf-8";

/** One file a job produced (JobArtifact in @trellis/db), as the job's result describes it. */
export const jobArtifactSchema = z.object({
  name: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int().min(0),
  rows: z.number().int().min(0).optional(),
});

/** A project export's job result: its one file and how many projects it holds (the header not counted). */
export const exportResultSchema = z.object({ rows: z.number().int().min(0), artifacts: z.array(jobArtifactSchema) });
export type ExportResult = z.infer<typeof exportResultSchema>;

/** Where a finished export is downloaded (under the REST base, /api/v1). */
export const exportFilePath = (jobId: string) => `/exports/${encodeURIComponent(jobId)}/file`;
