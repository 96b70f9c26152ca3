import { jobIdSchema } from "@trellis/api/schemas";
import { useQuery } from "@tanstack/react-query";
import { Link, useParams } from "react-router";
import { useTRPC } from "../../app/trpc";
import { formatDateTime } from "../../lib/dates";
import { isNotFound } from "../../lib/errors";
import { useCursorPages } from "../../lib/use-cursor-pages";
import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { NotFoundPage } from "../../ui/NotFoundPage";
import { ChangeList } from "../projects/components/ChangeList";
import { useOwnerNames } from "../projects/hooks/use-owner-names";
import { actionLabels } from "../projects/lib/labels";
import { ImportReport } from "../imports/ImportReport";
import { formatDuration, isActive, isImportDryRun, jobDuration, jobLabel } from "./job-labels";
import { JobActions } from "./JobActions";
import { JobDownload } from "./JobDownload";
import { JobReport, shortId } from "./JobReport";
import { JobProgressBar, JobStateBadge } from "./JobState";
import { useLiveJob } from "./use-live-job";

export function JobDetailPage() {
  const { id = "" } = useParams();
  if (!jobIdSchema.safeParse(id).success) return <NotFoundPage what="job" />;
  return <JobDetail key={id} id={id} />;
}

function JobDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.job.byId.queryOptions({ id }));
  const job = useLiveJob(query.data);

  if (!job) {
    if (query.isError) {
      if (isNotFound(query.error)) return <NotFoundPage what="job" />;
      return <ErrorNotice title="Could not load the job" error={query.error} onRetry={() => void query.refetch()} />;
    }
    return (
      <p className="page-status" role="status">
        Loading job…
      </p>
    );
  }

  const active = isActive(job.state);
  const duration = jobDuration(job);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/jobs">Jobs</Link> ›
      </p>
      <div className="page-head">
        <h1>
          {jobLabel(job)} <JobStateBadge job={job} />
        </h1>
        <JobActions job={job} />
      </div>
      <section className="panel" aria-label="Progress">
        <JobProgressBar job={job} />
        <JobDownload job={job} withDetails />
        {job.error && (
          <div className="notice notice-error" role="alert">
            <p>{job.error.message}</p>
          </div>
        )}
        <dl className="details">
          <dt>Created by</dt>
          <dd>{job.createdByName ?? "System"}</dd>
          <dt>Created</dt>
          <dd>{formatDateTime(job.createdAt)}</dd>
          <dt>Started</dt>
          <dd>{formatDateTime(job.startedAt)}</dd>
          <dt>Finished</dt>
          <dd>{formatDateTime(job.finishedAt)}</dd>
          <dt>Duration</dt>
          <dd>{duration === undefined ? "—" : formatDuration(duration)}</dd>
          <dt>Attempts</dt>
          <dd>{job.maxAttempts ? `${job.attempts} of ${job.maxAttempts}` : job.attempts}</dd>
          {job.requestId && (
            <>
              <dt>Request id</dt>
              <dd className="mono small">{job.requestId}</dd>
            </>
          )}
        </dl>
      </section>
      <section className="panel" aria-labelledby="job-report">
        <h2 id="job-report">Report</h2>
        {job.kind === "project.import" ? (
          <ImportReport jobId={job.id} dryRun={isImportDryRun(job.input)} active={active} />
        ) : (
          <JobReport jobId={job.id} active={active} />
        )}
      </section>
      <section className="panel" aria-labelledby="job-events">
        <h2 id="job-events">Audit trail</h2>
        <JobEvents jobId={job.id} active={active} />
      </section>
    </>
  );
}

/** The project changes the job made, oldest first, as the audit log recorded them. */
function JobEvents({ jobId, active }: { jobId: string; active: boolean }) {
  const trpc = useTRPC();
  const ownerNames = useOwnerNames();
  const events = useCursorPages(jobId, (cursor) =>
    trpc.job.events.queryOptions({ id: jobId, limit: 50, ...(cursor && { cursor }) }, { refetchInterval: active ? 3_000 : false }),
  );
  if (events.isPending) return <p role="status">Loading the audit trail…</p>;
  if (events.isError) return <ErrorNotice title="Could not load the audit trail" error={events.error} onRetry={events.refetch} />;
  const items = events.pages.flatMap((page) => page.items);
  if (items.length === 0) return <p className="muted">No project was changed{active ? " yet" : ""}.</p>;
  return (
    <>
      <ol className="activity" aria-label="Audit trail">
        {items.map((event) => (
          <li key={event.id} className="activity-item">
            <p className="activity-head">
              <strong>{actionLabels[event.action]}</strong>{" "}
              <Link to={`/projects/${event.projectId}`} className="mono" title={event.projectId}>
                {shortId(event.projectId)}
              </Link>{" "}
              by {event.actorName}
              <span className="muted">
                {" "}
                · v{event.version} · <time dateTime={event.createdAt.toISOString()}>{formatDateTime(event.createdAt)}</time>
              </span>
            </p>
            <ChangeList changes={event.changes} action={event.action} ownerNames={ownerNames} />
          </li>
        ))}
      </ol>
      {events.hasNextPage && (
        <Button onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
          {events.isFetchingNextPage ? "Loading…" : "Load more"}
        </Button>
      )}
    </>
  );
}
