import type { MergeField } from "@trellis/api/schemas";
import { useState } from "react";
import { Button } from "../../../ui/Button";
import { type Column, DataTable } from "../../../ui/DataTable";
import { Dialog } from "../../../ui/Dialog";
import { joinNames } from "../lib/changes";
import { fieldLabel, formatChangeValue } from "../lib/labels";
import type { MergeChoice, MergeChoices, MergeOutcome, MergeRow, MergeView } from "../lib/merge-view";

const outcomeText: Record<Exclude<MergeOutcome, "conflict" | "unchanged">, string> = {
  mine: "Yours (only you changed it)",
  theirs: "Theirs (only they changed it)",
  same: "Same change on both sides",
  tags: "Both: tags merged as a set",
};

/**
 * A save that lost to a newer version: base (what the write started from), mine and theirs side
 * by side. Fields only one side changed are already merged; the user picks mine or theirs where
 * both changed a field. "Save merged" is a new write against their version.
 */
export function MergeDialog({
  view,
  theirNames,
  again,
  saving,
  errors,
  ownerNames,
  onSave,
  onDiscardMine,
  onBack,
}: {
  view: MergeView;
  /** Who made the versions between base and theirs, when known. */
  theirNames: string[];
  /** This is a second round: the merged save lost to yet another change. */
  again: boolean;
  saving: boolean;
  /** Why the merged save failed, when it failed for another reason than a newer version. */
  errors: string[] | undefined;
  ownerNames: ReadonlyMap<string, string>;
  onSave: (choices: MergeChoices) => void;
  onDiscardMine: () => void;
  onBack: () => void;
}) {
  const [choices, setChoices] = useState<MergeChoices>({});

  const who = theirNames.length > 0 ? joinNames(theirNames) : "Someone else";
  const changed = view.rows.filter((row) => row.outcome !== "unchanged");
  const auto = changed.filter((row) => row.outcome !== "conflict");
  const undecided = view.conflicts.filter((field) => choices[field] === undefined);
  const show = (field: MergeField, value: unknown) =>
    field === "description" && typeof value === "string" && value !== "" ? value : formatChangeValue(field, value, ownerNames);
  const choose = (field: MergeField, choice: MergeChoice) => setChoices((all) => ({ ...all, [field]: choice }));
  const columns: Array<Column<MergeRow>> = [
    { header: "Field", rowHeader: true, cell: (row) => fieldLabel(row.field) },
    { header: `Base · version ${view.base.version}`, className: "muted prewrap", cell: (row) => show(row.field, row.base) },
    { header: "Mine · your edits", className: "prewrap", cell: (row) => show(row.field, row.mine) },
    {
      header: `Theirs · version ${view.theirs.version}${theirNames.length > 0 ? ` by ${joinNames(theirNames)}` : ""}`,
      className: "prewrap",
      cell: (row) => show(row.field, row.theirs),
    },
    {
      header: "Result",
      cell: (row) =>
        row.outcome === "conflict" ? (
          <fieldset className="merge-choice">
            <legend className="visually-hidden">Keep which {fieldLabel(row.field)}?</legend>
            {(["mine", "theirs"] as const).map((side) => (
              <label key={side}>
                <input
                  type="radio"
                  name={`merge-${row.field}`}
                  value={side}
                  checked={choices[row.field] === side}
                  onChange={() => choose(row.field, side)}
                  disabled={saving}
                />{" "}
                {side === "mine" ? "Keep mine" : "Take theirs"}: {show(row.field, row[side])}
              </label>
            ))}
          </fieldset>
        ) : (
          <>
            <span className="merge-outcome">{outcomeText[row.outcome as keyof typeof outcomeText]}</span>
            {row.outcome === "tags" && <span className="prewrap">: {show(row.field, row.merged)}</span>}
          </>
        ),
    },
  ];

  return (
    <Dialog
      className="merge-dialog"
      labelledBy="merge-title"
      describedBy="merge-intro"
      // Escape goes back to the form instead of leaving a closed dialog behind.
      onCancel={() => {
        if (!saving) onBack();
      }}
    >
      <h2 id="merge-title">Merge your changes</h2>
      <p id="merge-intro">
        {again ? "It changed again while you were merging: " : "While you were editing, "}
        {who} saved version {view.theirs.version}. Your changes were not saved yet, and nothing of theirs or yours is lost.
      </p>
      <p className="merge-summary" data-testid="merge-summary">
        {auto.length > 0 && (
          <>
            Merged automatically:{" "}
            {auto.map((row, i) => (
              <span key={row.field}>
                {i > 0 && ", "}
                {fieldLabel(row.field)} ({row.outcome === "mine" ? "yours" : row.outcome === "theirs" ? "theirs" : "both"})
              </span>
            ))}
            .{" "}
          </>
        )}
        {view.conflicts.length > 0
          ? `You both changed ${view.conflicts.map(fieldLabel).join(", ")}: choose which to keep.`
          : "Nothing to decide: you changed different fields."}
      </p>
      <DataTable
        className="merge-table"
        columns={columns}
        rows={changed}
        rowKey={(row) => row.field}
        rowProps={(row) => ({ "data-testid": `merge-row-${row.field}`, className: row.outcome === "conflict" ? "merge-conflict" : undefined })}
      />
      {changed.length < view.rows.length && <p className="muted small">Fields not listed are unchanged on both sides.</p>}
      {errors && errors.length > 0 && (
        <div className="notice notice-error" role="alert">
          <strong>The merged changes were not saved</strong>
          {errors.map((message) => (
            <p key={message}>{message}</p>
          ))}
        </div>
      )}
      <div className="form-actions">
        <Button
          primary
          disabled={saving || undecided.length > 0}
          onClick={() => onSave(choices)}
          title={undecided.length > 0 ? `Choose a value for ${undecided.map(fieldLabel).join(", ")}` : undefined}
        >
          {saving ? "Saving…" : "Save merged"}
        </Button>
        <Button onClick={onDiscardMine} disabled={saving}>
          Discard my changes
        </Button>
        <Button onClick={onBack} disabled={saving}>
          Back to editing
        </Button>
      </div>
    </Dialog>
  );
}
