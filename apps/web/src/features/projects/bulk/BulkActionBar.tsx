import { BULK_MAX_IDS, type BulkChange, type BulkSelection, type ProjectStatus, projectStatuses } from "@trellis/api/schemas";
import { useState } from "react";
import { messageOf } from "../../../lib/errors";
import { Button } from "../../../ui/Button";
import { keptNote } from "../../intents/intent-paths";
import { statusLabels } from "../lib/labels";
import { overIdLimit, pickedCount, type SelectionState, toBulkSelection } from "./selection";

/**
 * What to do with the selected projects. Shown to editors and admins once something is
 * selected; "Select all matching" widens a full page to everything the filters match (more than
 * the loaded rows, or more than can be named by id).
 */
export function BulkActionBar({
  selection,
  loaded,
  allLoaded,
  onSelectMatching,
  onClear,
  onStart,
  pending,
  error,
  errorFinal,
}: {
  selection: SelectionState;
  /** Rows the list has loaded (all of them when `allLoaded`). */
  loaded: number;
  allLoaded: boolean;
  onSelectMatching: () => void;
  onClear: () => void;
  onStart: (change: BulkChange, selection: BulkSelection) => void;
  pending: boolean;
  error: Error | null;
  errorFinal: boolean;
}) {
  const [status, setStatus] = useState<ProjectStatus>("active");
  const count = pickedCount(selection);
  if (selection.mode === "none") return null;
  const bulk = toBulkSelection(selection);
  const tooMany = overIdLimit(selection);
  const start = (change: BulkChange) => bulk && onStart(change, bulk);
  const matchingText = allLoaded ? `Select all ${loaded} matching` : `Select all matching (more than ${loaded})`;

  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions">
      <span className="bulk-count" role="status">
        {selection.mode === "matching"
          ? allLoaded
            ? `All ${loaded} matching projects selected`
            : "All projects matching these filters selected"
          : `${count} selected`}
      </span>
      {selection.mode === "ids" && (count === loaded || tooMany) && (!allLoaded || tooMany) && (
        <Button small onClick={onSelectMatching}>
          {matchingText}
        </Button>
      )}
      <Button small onClick={onClear} disabled={pending}>
        Clear selection
      </Button>
      <Button small onClick={() => start({ action: "archive" })} disabled={pending || !bulk}>
        Archive
      </Button>
      <Button small onClick={() => start({ action: "restore" })} disabled={pending || !bulk}>
        Restore
      </Button>
      <label className="small">
        Set status{" "}
        <select aria-label="New status" value={status} onChange={(e) => setStatus(e.target.value as ProjectStatus)}>
          {projectStatuses.map((s) => (
            <option key={s} value={s}>
              {statusLabels[s]}
            </option>
          ))}
        </select>
      </label>
      <Button small onClick={() => start({ action: "setStatus", status })} disabled={pending || !bulk}>
        Apply status
      </Button>
      {pending && <span className="small muted">Starting…</span>}
      {tooMany && (
        <p className="small overdue" role="alert">
          At most {BULK_MAX_IDS} projects can be chosen one by one; use “Select all matching” for more.
        </p>
      )}
      {error && (
        <p className="small overdue" role="alert">
          Could not start: {messageOf(error)} {!errorFinal && keptNote("project.bulk")}
        </p>
      )}
    </div>
  );
}
