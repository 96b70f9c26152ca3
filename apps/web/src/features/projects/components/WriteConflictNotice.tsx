import type { Project } from "@trellis/api/schemas";
import { useQuery } from "@tanstack/react-query";
import { useOwnerNames } from "../hooks/use-owner-names";
import { actorsSince, projectDiff, whoChanged } from "../lib/changes";
import { useTRPC } from "../../../app/trpc";
import { ChangeList } from "./ChangeList";
import { Button } from "../../../ui/Button";

/**
 * An archive or restore refused because the project changed after the user last saw it: what
 * changed (and who changed it), then the choice to do it again on the current version. If the
 * change already did what they asked (someone else archived it), there is nothing to retry.
 */
export function WriteConflictNotice({
  seen,
  current,
  wanted,
  onRetry,
  onDismiss,
  retrying,
}: {
  seen: Project;
  current: Project;
  wanted: "archive" | "restore";
  onRetry: () => void;
  onDismiss: () => void;
  retrying: boolean;
}) {
  const trpc = useTRPC();
  const history = useQuery(trpc.project.history.queryOptions({ id: current.id }));
  const ownerNames = useOwnerNames([seen, current].map((p) => ({ id: p.ownerId, name: p.ownerName })));
  const names = history.data ? actorsSince(history.data, seen.version, current.version) : [];
  const alreadyDone = (current.archivedAt !== null) === (wanted === "archive");
  const verb = wanted === "archive" ? "Archive" : "Restore";
  return (
    <div className="notice notice-warning" role="alert">
      <strong>
        {whoChanged(names)} changed this project after you opened it (now version {current.version}). Nothing was{" "}
        {wanted === "archive" ? "archived" : "restored"}.
      </strong>
      <ChangeList changes={projectDiff(seen, current)} ownerNames={ownerNames} />
      {alreadyDone ? (
        <>
          <p>It is already {wanted === "archive" ? "archived" : "restored"}: there is nothing left to do.</p>
          <Button onClick={onDismiss}>OK</Button>
        </>
      ) : (
        <div className="actions">
          <Button primary onClick={onRetry} disabled={retrying}>
            {verb} version {current.version}
          </Button>
          <Button onClick={onDismiss} disabled={retrying}>
            Don't {wanted}
          </Button>
        </div>
      )}
    </div>
  );
}
