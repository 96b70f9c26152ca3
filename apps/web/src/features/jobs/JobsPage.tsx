import type { JobState, JobView } from "@trellis/api/schemas";
import { jobStates } from "@trellis/api/schemas";
import { keepPreviousData } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { useTRPC } from "../../app/trpc";
import { formatDateTime } from "../../lib/dates";
import { useCursorPages } from "../../lib/use-cursor-pages";
import { Button } from "../../ui/Button";
import { type Column, DataTable } from "../../ui/DataTable";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { useCurrentUser } from "../auth/current-user";
import { formatDuration, isActive, jobDuration, jobLabel, jobStateLabels } from "./job-labels";
import { JobActions } from "./JobActions";
import { JobDownload } from "./JobDownload";
import { JobProgressBar, JobStateBadge } from "./JobState";
import { useLiveJob } from "./use-live-job";

/** While any listed job can still change, the list refreshes this often (rows beyond the live ones move by it). */
export const ACTIVE_REFETCH_MS = 2_000;
/**
 * Rows followed over their own progress stream. Each is an SSE connection: a browser opens at
 * most 6 per origin over HTTP/1.1 (the app's live-updates stream is one) and the server caps
 * streams per user, so the rest follow the list's refresh.
 */
const LIVE_ROWS = 2;

/** The list's filters as the URL holds them. */
function jobsStateFromParams(params: URLSearchParams, isAdmin: boolean) {
  const state = params.get("state");
  return {
    scope: isAdmin && params.get("scope") === "all" ? ("all" as const) : ("mine" as const),
    state: jobStates.find((s) => s === state),
  };
}

export function JobsPage() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const isAdmin = user.role === "admin";
  const [params, setParams] = useSearchParams();
  const filters = jobsStateFromParams(params, isAdmin);
  const setFilter = (next: { scope?: "mine" | "all"; state?: JobState | undefined }) => {
    const merged = { ...filters, ...next };
    const out = new URLSearchParams();
    if (merged.scope === "all") out.set("scope", "all");
    if (merged.state) out.set("state", merged.state);
    setParams(out, { replace: true });
  };

  const input = { scope: filters.scope, limit: 50, ...(filters.state && { states: [filters.state] }) };
  const list = useCursorPages(JSON.stringify(input), (cursor) =>
    trpc.job.list.queryOptions(
      { ...input, ...(cursor && { cursor }) },
      {
        placeholderData: keepPreviousData,
        refetchInterval: (query) => (query.state.data?.items.some((job) => isActive(job.state)) ? ACTIVE_REFETCH_MS : false),
      },
    ),
  );
  // A job can move from one page to the next while they refresh: show it once.
  const jobs = uniqueById(list.pages.flatMap((page) => page.items));
  const liveIds = useMemo(() => new Set(jobs.filter((job) => isActive(job.state)).slice(0, LIVE_ROWS).map((job) => job.id)), [jobs]);

  const columns: Array<Column<JobView>> = [
    {
      header: "Job",
      cell: (job) => <Link to={`/jobs/${job.id}`}>{jobLabel(job)}</Link>,
    },
    { header: "State", cell: (job) => <JobStateBadge job={job} /> },
    { header: "Progress", cell: (job) => <LiveProgress job={job} live={liveIds.has(job.id)} /> },
    { header: "Duration", numeric: true, cell: (job) => durationText(job) },
    ...(filters.scope === "all" ? [{ header: "Created by", cell: (job: JobView) => job.createdByName ?? <span className="muted">System</span> }] : []),
    { header: "Created", cell: (job) => formatDateTime(job.createdAt) },
    { header: "Error", cell: (job) => (job.error ? <span className="overdue">{job.error.message}</span> : "") },
    {
      header: "Actions",
      hideHeader: true,
      cell: (job) => (
        <>
          <JobDownload job={job} /> <JobActions job={job} />
        </>
      ),
    },
  ];

  return (
    <>
      <div className="page-head">
        <h1>Jobs</h1>
      </div>
      <form className="bulk-bar" aria-label="Job filters" onSubmit={(e) => e.preventDefault()}>
        {isAdmin && (
          <div className="segmented" role="group" aria-label="Whose jobs">
            <Button small aria-pressed={filters.scope === "mine"} onClick={() => setFilter({ scope: "mine" })}>
              Mine
            </Button>
            <Button small aria-pressed={filters.scope === "all"} onClick={() => setFilter({ scope: "all" })}>
              Everyone’s
            </Button>
          </div>
        )}
        <label>
          State{" "}
          <select value={filters.state ?? ""} onChange={(e) => setFilter({ state: jobStates.find((s) => s === e.target.value) })}>
            <option value="">Any</option>
            {jobStates.map((s) => (
              <option key={s} value={s}>
                {jobStateLabels[s]}
              </option>
            ))}
          </select>
        </label>
      </form>

      {list.isPending ? (
        <p className="page-status" role="status">
          Loading jobs…
        </p>
      ) : list.isError && jobs.length === 0 ? (
        <ErrorNotice title="Could not load jobs" error={list.error} onRetry={() => void list.refetch()} />
      ) : jobs.length === 0 ? (
        <div className="empty">
          <p>{filters.scope === "all" ? "No jobs match." : "You have started no jobs that match. Bulk changes, exports and imports of projects run as jobs."}</p>
        </div>
      ) : (
        <>
          <DataTable label="Jobs" columns={columns} rows={jobs} rowKey={(job) => job.id} rowProps={(job) => ({ "data-state": job.state })} />
          {list.hasNextPage && !list.isPlaceholderData && (
            <Button className="load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? "Loading more…" : "Load more"}
            </Button>
          )}
        </>
      )}
    </>
  );
}

function uniqueById(jobs: JobView[]): JobView[] {
  const seen = new Set<string>();
  return jobs.filter((job) => !seen.has(job.id) && Boolean(seen.add(job.id)));
}

function durationText(job: JobView): string {
  const ms = jobDuration(job);
  return ms === undefined ? "—" : formatDuration(ms);
}

/** One row's progress: live over its own stream when `live`, else as the list last read it. */
function LiveProgress({ job, live }: { job: JobView; live: boolean }) {
  const current = useLiveJob(job, { live }) ?? job;
  return <JobProgressBar job={current} />;
}
