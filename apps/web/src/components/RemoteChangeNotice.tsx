import { joinNames, type FieldChanges } from "../lib/changes";
import { formatDateTime, timeAgo } from "../lib/dates";
import { ChangeList } from "./ChangeList";

/**
 * Shown in an open editor when the project changed elsewhere (someone else, or this user in
 * another tab) since the form was loaded. The form keeps its base version and the user's edits:
 * saving then shows their change next to the user's and merges.
 */
export function RemoteChangeNotice({
  actorNames,
  at,
  version,
  baseVersion,
  changes,
  ownerNames,
  onLoadLatest,
  loading,
}: {
  /** Empty when the change is known only from a refetch (who made it is not known then). */
  actorNames: string[];
  at: Date | undefined;
  version: number;
  baseVersion: number;
  changes: FieldChanges;
  ownerNames: ReadonlyMap<string, string>;
  onLoadLatest: () => void;
  loading: boolean;
}) {
  const who = actorNames.length > 0 ? `Changed by ${joinNames(actorNames)}` : "Changed elsewhere";
  return (
    <div className="notice notice-info" role="status" aria-label="Changed elsewhere">
      <strong>
        {who}{" "}
        {at ? (
          <time dateTime={at.toISOString()} title={formatDateTime(at)}>
            {timeAgo(at)}
          </time>
        ) : (
          "since you opened it"
        )}{" "}
        (now version {version})
      </strong>
      <ChangeList changes={changes} ownerNames={ownerNames} />
      <p>
        You are still editing version {baseVersion}, and your edits are kept. When you save, their changes and yours are put side by
        side: fields only one of you changed are merged, and you choose where you both changed the same field.
      </p>
      <button type="button" className="button button-small" onClick={onLoadLatest} disabled={loading}>
        {loading ? "Loading…" : `Discard my edits and load version ${version}`}
      </button>
    </div>
  );
}
