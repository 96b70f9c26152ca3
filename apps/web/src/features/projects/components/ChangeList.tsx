import type { ProjectAction } from "@trellis/api/schemas";
import type { FieldChanges } from "../lib/changes";
import { fieldLabel, formatChangeValue, inFieldOrder } from "../lib/labels";

/**
 * Field changes as "Field: before → after" (the audit log, a live change, a version in history).
 * A creation has no "before": it lists the initial values that were set.
 */
export function ChangeList({
  changes,
  action,
  ownerNames,
}: {
  changes: FieldChanges;
  action?: ProjectAction;
  /** Owner id -> name, so owner changes read as names. */
  ownerNames?: ReadonlyMap<string, string>;
}) {
  const entries = inFieldOrder(Object.entries(changes));
  if (entries.length === 0) return null;
  if (action === "created") {
    const set = entries.filter(([, change]) => formatChangeValue("", change.after) !== "—");
    return (
      <ul className="changes">
        {set.map(([field, change]) => (
          <li key={field}>
            <span className="change-field">{fieldLabel(field)}:</span> {formatChangeValue(field, change.after, ownerNames)}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <ul className="changes">
      {entries.map(([field, change]) => (
        <li key={field}>
          <span className="change-field">{fieldLabel(field)}:</span>{" "}
          <span className="before">{formatChangeValue(field, change.before, ownerNames)}</span> →{" "}
          <span className="after">{formatChangeValue(field, change.after, ownerNames)}</span>
        </li>
      ))}
    </ul>
  );
}
