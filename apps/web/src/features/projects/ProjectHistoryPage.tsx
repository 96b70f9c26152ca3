import { projectIdSchema } from "@trellis/api/schemas";
import { useQuery } from "@tanstack/react-query";
import { useRef } from "react";
import { Link, useParams } from "react-router";
import { useTRPC } from "../../app/trpc";
import { formatDateTime } from "../../lib/dates";
import { isFinalFailure, isNotFound, messageOf, versionConflictOf } from "../../lib/errors";
import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { NotFoundPage } from "../../ui/NotFoundPage";
import { useCurrentUser } from "../auth/current-user";
import { KEPT_FOR_RETRY } from "../intents/intent-paths";
import { useIntent } from "../intents/use-intent";
import { useOfferUndo } from "../undo/UndoProvider";
import { ChangeList } from "./components/ChangeList";
import { useOwnerNames } from "./hooks/use-owner-names";
import { useProjectWritten } from "./hooks/use-project-written";
import { actorsSince, sameValue, whoChanged } from "./lib/changes";
import { actionLabels, canWrite } from "./lib/labels";
import { projectSnapshot } from "./lib/merge-view";

export function ProjectHistoryPage() {
  const { id = "" } = useParams();
  if (!projectIdSchema.safeParse(id).success) return <NotFoundPage what="project" />;
  return <ProjectHistory key={id} id={id} />;
}

/**
 * Every version of a project, newest first: who made it, when, and what changed. "Restore this
 * version" reverts to it as a new version (expecting the newest version shown, so a change made
 * meanwhile is reported instead of overwritten), and can itself be undone.
 */
function ProjectHistory({ id }: { id: string }) {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const projectWritten = useProjectWritten();
  const offerUndo = useOfferUndo();
  const project = useQuery(trpc.project.byId.queryOptions({ id }));
  const history = useQuery(trpc.project.history.queryOptions({ id }));
  const ownerNames = useOwnerNames(project.data ? [{ id: project.data.ownerId, name: project.data.ownerName }] : []);
  const attempt = useRef<{ toVersion: number; expectedVersion: number } | null>(null);

  const revert = useIntent("project.revert", {
    onSuccess: (reverted) => {
      const sent = attempt.current;
      offerUndo({
        projectId: reverted.id,
        projectName: reverted.name,
        previousVersion: sent?.expectedVersion ?? reverted.version - 1,
        newVersion: reverted.version,
        done: `Restored version ${sent?.toVersion ?? "?"} of “${reverted.name}”`,
      });
    },
    onError: (error) => {
      const current = versionConflictOf(error)?.current;
      if (current) projectWritten(current);
    },
  });

  if (!history.data) {
    if (history.isError) {
      if (isNotFound(history.error)) return <NotFoundPage what="project" />;
      return <ErrorNotice title="Could not load the history" error={history.error} onRetry={() => void history.refetch()} />;
    }
    return <p className="page-status" role="status">Loading history…</p>;
  }

  const items = history.data;
  const current = items[0];
  const name = project.data?.name ?? current?.snapshot.name ?? "Project";
  const conflict = versionConflictOf(revert.error);
  const restore = (toVersion: number) => {
    if (!current) return;
    attempt.current = { toVersion, expectedVersion: current.version };
    revert.submit({ id, toVersion, expectedVersion: current.version }, `Restore version ${toVersion} of “${name}”`);
  };

  return (
    <>
      <div className="page-head">
        <div>
          <p className="breadcrumb">
            <Link to="/projects">Projects</Link> / <Link to={`/projects/${id}`}>{name}</Link> /
          </p>
          <h1>History</h1>
          <p className="muted">
            Every version, newest first. Restoring a version saves its values as a new version: nothing is lost, and it can be undone.
          </p>
        </div>
      </div>

      {conflict && attempt.current ? (
        <div className="notice notice-warning" role="alert">
          <strong>
            Not restored: {whoChanged(actorsSince(items, attempt.current.expectedVersion, conflict.currentVersion))} changed it after
            you opened this page (now version {conflict.currentVersion}).
          </strong>
          <p>The list below now shows the latest versions; choose again.</p>
          <Button small onClick={() => revert.reset()}>
            OK
          </Button>
        </div>
      ) : (
        revert.error && (
          <div className="notice notice-error" role="alert">
            <p>{messageOf(revert.error)}</p>
            {!isFinalFailure(revert.error) && <p className="muted small">{KEPT_FOR_RETRY}</p>}
          </div>
        )
      )}

      <section className="panel">
        <ol className="activity history" aria-label="Versions">
          {items.map((entry) => {
            const isCurrent = entry.version === current?.version;
            const sameAsCurrent = current !== undefined && sameValue(projectSnapshot(entry.snapshot), projectSnapshot(current.snapshot));
            return (
              <li key={entry.version} className="activity-item" data-testid={`version-${entry.version}`}>
                <p className="activity-head">
                  <strong>Version {entry.version}</strong>
                  {isCurrent && <span className="badge badge-muted">Current</span>} · {actionLabels[entry.action]} by {entry.actorName}
                  <span className="muted">
                    {" "}
                    · <time dateTime={entry.createdAt.toISOString()}>{formatDateTime(entry.createdAt)}</time>
                  </span>
                </p>
                <ChangeList changes={entry.changes} action={entry.action} ownerNames={ownerNames} />
                {canWrite(user.role) &&
                  !isCurrent &&
                  (sameAsCurrent ? (
                    <p className="muted small">Same values as the current version.</p>
                  ) : (
                    <Button
                      small
                      aria-label={`Restore this version (version ${entry.version})`}
                      onClick={() => restore(entry.version)}
                      disabled={revert.isPending}
                    >
                      Restore this version
                    </Button>
                  ))}
              </li>
            );
          })}
        </ol>
      </section>
    </>
  );
}
