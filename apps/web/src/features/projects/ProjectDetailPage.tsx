import { type Project, projectIdSchema } from "@trellis/api/schemas";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { Link, useLocation, useParams } from "react-router";
import { useTRPC } from "../../app/trpc";
import { formatDate, formatDateTime, todayIso } from "../../lib/dates";
import { errorDataOf, isFinalFailure, isNotFound, messageOf, versionConflictOf } from "../../lib/errors";
import { Button, ButtonLink } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { NotFoundPage } from "../../ui/NotFoundPage";
import { useCurrentUser } from "../auth/current-user";
import { KEPT_FOR_RETRY } from "../intents/intent-paths";
import { useIntent } from "../intents/use-intent";
import { ActivityList } from "./components/ActivityList";
import { ConflictNotice } from "./components/ConflictNotice";
import { StatusBadge } from "./components/StatusBadge";
import { TagList } from "./components/TagList";
import { WriteConflictNotice } from "./components/WriteConflictNotice";
import { useProjectWritten } from "./hooks/use-project-written";
import { canWrite } from "./lib/labels";
import { formatCents } from "./lib/money";
import { isOverdue } from "./lib/overdue";
import { wasReplayed } from "./lib/saved-state";

export function ProjectDetailPage() {
  const { id = "" } = useParams();
  // A malformed id can never exist; say so without asking the server.
  if (!projectIdSchema.safeParse(id).success) return <NotFoundPage what="project" />;
  return <ProjectDetail key={id} id={id} />;
}

function ProjectDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const projectWritten = useProjectWritten();
  const query = useQuery(trpc.project.byId.queryOptions({ id }));
  const location = useLocation();
  // One click is one intent (with one key): a double click or a retry after a timeout lands once.
  const archive = useIntent("project.archive", { onError: takeCurrent });
  const restore = useIntent("project.restore", { onError: takeCurrent });
  // The project as the user saw it when they clicked Archive/Restore: a conflict shows what changed since.
  const seen = useRef<Project | null>(null);

  function takeCurrent(error: unknown) {
    const current = versionConflictOf(error)?.current;
    if (current) projectWritten(current);
  }

  // Once loaded, the page stays even if a background refetch (a live update) fails.
  if (!query.data) {
    if (query.isError) {
      if (isNotFound(query.error)) return <NotFoundPage what="project" />;
      return <ErrorNotice title="Could not load the project" error={query.error} onRetry={() => void query.refetch()} />;
    }
    return <p className="page-status" role="status">Loading project…</p>;
  }

  const project = query.data;
  const write = project.archivedAt ? restore : archive;
  const writeError = archive.error ?? restore.error;
  const conflict = versionConflictOf(writeError);
  const sendWrite = (on: Project = project) => {
    seen.current = on;
    const verb = on.archivedAt ? "Restore" : "Archive";
    (on.archivedAt ? restore : archive).submit({ id, expectedVersion: on.version }, `${verb} project “${on.name}”`);
  };

  // Any conflict means this page shows an old version: take the server's copy when it sent one.
  const reloadLatest = () => {
    const current = errorDataOf(writeError)?.current as Project | undefined;
    if (current) projectWritten(current);
    else void queryClient.invalidateQueries(trpc.project.byId.queryFilter({ id }));
    archive.reset();
    restore.reset();
  };

  return (
    <>
      <div className="page-head">
        <div>
          <p className="breadcrumb">
            <Link to="/projects">Projects</Link> /
          </p>
          <h1>
            {project.name} <StatusBadge status={project.status} />
            {project.archivedAt && <span className="badge badge-muted">Archived</span>}
          </h1>
        </div>
        <div className="actions">
          {canWrite(user.role) && (
            <ButtonLink to={`/projects/${id}/edit`} primary>
              Edit
            </ButtonLink>
          )}
          <ButtonLink to={`/projects/${id}/history`}>History</ButtonLink>
          {canWrite(user.role) && (
            <Button disabled={write.isPending} onClick={() => sendWrite()}>
              {project.archivedAt ? "Restore" : "Archive"}
            </Button>
          )}
        </div>
      </div>

      {conflict ? (
        conflict.current && seen.current ? (
          <WriteConflictNotice
            seen={seen.current}
            current={conflict.current}
            wanted={archive.error ? "archive" : "restore"}
            onRetry={() => conflict.current && sendWrite(conflict.current)}
            onDismiss={reloadLatest}
            retrying={write.isPending}
          />
        ) : (
          <ConflictNotice currentVersion={conflict.currentVersion} onReload={reloadLatest} reloading={false}>
            <p>Nothing was changed. Reload to see their version, then try again.</p>
          </ConflictNotice>
        )
      ) : (
        writeError && (
          <div className="notice notice-error" role="alert">
            <p>{messageOf(writeError)}</p>
            {isFinalFailure(writeError) ? (
              <Button onClick={reloadLatest}>Reload latest</Button>
            ) : (
              <>
                <p className="muted small">{KEPT_FOR_RETRY}</p>
                <Button onClick={() => sendWrite(seen.current ?? project)} disabled={write.isPending}>
                  Try again
                </Button>
              </>
            )}
          </div>
        )
      )}
      {wasReplayed(location.state) && !writeError && (
        <p className="muted small saved-note" role="status">
          Already saved: your first attempt had reached the server, so nothing was done twice.
        </p>
      )}

      <section className="panel">
        <dl className="details">
          <dt>Description</dt>
          <dd className="prewrap">{project.description || <span className="muted">No description</span>}</dd>
          <dt>Owner</dt>
          <dd>{project.ownerName}</dd>
          <dt>Due date</dt>
          <dd className={isOverdue(project, todayIso()) ? "overdue" : undefined}>
            {formatDate(project.dueDate)}
            {isOverdue(project, todayIso()) && <span className="badge badge-danger">Overdue</span>}
          </dd>
          <dt>Budget</dt>
          <dd>{formatCents(project.budgetCents)}</dd>
          <dt>Tags</dt>
          <dd>
            <TagList tags={project.tags} />
          </dd>
          <dt>Version</dt>
          <dd data-testid="project-version">{project.version}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(project.createdAt)}</dd>
          <dt>Updated</dt>
          <dd>{formatDateTime(project.updatedAt)}</dd>
          {project.archivedAt && (
            <>
              <dt>Archived</dt>
              <dd>{formatDateTime(project.archivedAt)}</dd>
            </>
          )}
        </dl>
      </section>

      <section className="panel">
        <h2>Activity</h2>
        <ActivityList projectId={id} />
      </section>
    </>
  );
}
