import type { BulkChange, BulkSelection } from "@trellis/api/schemas";
import { bulkChangeLabel } from "../../jobs/job-labels";

/** The change that undoes `change`, where one exists (a status change had many statuses before). */
export function inverseChange(change: BulkChange): BulkChange | undefined {
  if (change.action === "archive") return { action: "restore" };
  if (change.action === "restore") return { action: "archive" };
  return undefined;
}

/** What a bulk change does to how many, for its intent's label ("Bulk archive — 30 projects"). */
export function bulkIntentLabel(change: BulkChange, selection: BulkSelection): string {
  const what = "ids" in selection ? `${selection.ids.length} project${selection.ids.length === 1 ? "" : "s"}` : "all matching projects";
  return `${bulkChangeLabel(change)} — ${what}`;
}
