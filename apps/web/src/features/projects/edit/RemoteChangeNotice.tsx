import type { Project } from "@trellis/api/schemas";
import { formatDateTime, timeAgo } from "../../../lib/dates";
import { Button } from "../../../ui/Button";
import { type ProjectChangeEvent, remoteChangeSummary } from "../../live/live-changes";
import { ChangeList } from "../components/ChangeList";
import { joinNames, projectDiff } from "../lib/changes";

/**
 * Shown in an open editor when the project changed elsewhere (someone else, or this user in
 * another tab) since the form was loaded: from the live changes (who, when, what), or from a
 * refetched copy when that is all there is. The form keeps its base version and the user's edits:
 * saving then shows their change next to the user's and merges. Nothing when nothing changed.
 */
export function RemoteChangeNotice({
  base,
  latest,
  events,
  ownerNames,
  onLoadLatest,
  loading,
}: {
  /** The version the form was loaded at. */
  base: Project;
  /** The cached project, refreshed underneath the form. */
  latest: Project;
  /** The live changes to this project since the editor opened. */
  events: readonly ProjectChangeEvent[];
  ownerNames: ReadonlyMap<string, string>;
  onLoadLatest: () => void;
  loading: boolean;
}) {
  const remote = remoteChangeSummary(events, base.id, base.version);
  const version = Math.max(remote?.version ?? 0, latest.version);
  if (version <= base.version) return null;
  // Empty when the change is known only from a refetch (who made it is not known then).
  const actorNames = remote?.actorNames ?? [];
  const at = remote?.at;
  // The refetched project is complete; the events may be ahead of it, never behind.
  const changes = remote && remote.version > latest.version ? remote.changes : projectDiff(base, latest);
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
        You are still editing version {base.version}, and your edits are kept. When you save, their changes and yours are put side by
        side: fields only one of you changed are merged, and you choose where you both changed the same field.
      </p>
      <Button small onClick={onLoadLatest} disabled={loading}>
        {loading ? "Loading…" : `Discard my edits and load version ${version}`}
      </Button>
    </div>
  );
}
