import type { JobItemFilter, JobItemView } from "@trellis/api/schemas";
import { keepPreviousData } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { useTRPC } from "../../app/trpc";
import { formatDateTime } from "../../lib/dates";
import { useCursorPages } from "../../lib/use-cursor-pages";
import { Button } from "../../ui/Button";
import { type Column, DataTable } from "../../ui/DataTable";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { itemOutcomeText, outcomeLabels } from "./job-labels";

const REFRESH_WHILE_ACTIVE_MS = 2_000;

/** The filters of the report, in reading order; "pending" and "failed" show only when there are any. */
const filters: ReadonlyArray<{ value: JobItemFilter | undefined; label: string; always: boolean }> = [
  { value: undefined, label: "All", always: true },
  { value: "applied", label: "Applied", always: true },
  { value: "skipped", label: "Skipped", always: true },
  { value: "conflict", label: "Conflicts", always: true },
  { value: "not_found", label: "Not found", always: true },
  { value: "failed", label: "Failed", always: false },
  { value: "pending", label: "Not done yet", always: false },
];

/** A short, stable name for a project the report has only the id of. */
export const shortId = (id: string) => id.slice(0, 8);

const columns: Array<Column<JobItemView>> = [
  { header: "#", numeric: true, cell: (item) => item.seq + 1 },
  {
    header: "Project",
    cell: (item) => (
      <Link to={`/projects/${item.itemId}`} className="mono" title={item.itemId}>
        {shortId(item.itemId)}
      </Link>
    ),
  },
  { header: "Outcome", cell: (item) => (item.outcome ? <span className={`badge outcome-${item.outcome}`}>{outcomeLabels[item.outcome]}</span> : <span className="muted">Pending</span>) },
  { header: "What happened", cell: (item) => itemOutcomeText(item) },
  { header: "Version seen", numeric: true, cell: (item) => (item.expectedVersion === null ? "—" : `v${item.expectedVersion}`) },
  { header: "Done", cell: (item) => formatDateTime(item.doneAt) },
];

/** A job's per-project report: counts per outcome (each a filter), then the projects, a page at a time. */
export function JobReport({ jobId, active }: { jobId: string; active: boolean }) {
  const trpc = useTRPC();
  const [outcome, setOutcome] = useState<JobItemFilter | undefined>(undefined);
  const input = { id: jobId, limit: 100, ...(outcome && { outcome }) };
  const report = useCursorPages(JSON.stringify(input), (cursor) =>
    trpc.job.items.queryOptions(
      { ...input, ...(cursor && { cursor }) },
      { placeholderData: keepPreviousData, refetchInterval: active ? REFRESH_WHILE_ACTIVE_MS : false },
    ),
  );

  if (report.isPending) return <p role="status">Loading the report…</p>;
  if (report.isError) return <ErrorNotice title="Could not load the report" error={report.error} onRetry={report.refetch} />;

  const counts = report.pages[0]?.counts;
  const items = report.pages.flatMap((page) => page.items);
  const countOf = (value: JobItemFilter | undefined) => (counts ? (value === undefined ? counts.total : counts[value]) : 0);

  return (
    <>
      <div className="segmented" role="group" aria-label="Report filter">
        {filters
          .filter((f) => f.always || countOf(f.value) > 0 || outcome === f.value)
          .map((f) => (
            <Button key={f.label} small aria-pressed={outcome === f.value} onClick={() => setOutcome(f.value)}>
              {f.label} <strong data-testid={`count-${f.value ?? "total"}`}>&nbsp;{countOf(f.value)}</strong>
            </Button>
          ))}
      </div>
      {items.length === 0 ? (
        <p className="muted">{counts?.total === 0 ? "The job had nothing to do: no project matched." : "No projects ended this way."}</p>
      ) : (
        <DataTable label="Report" columns={columns} rows={items} rowKey={(item) => item.seq} rowProps={(item) => ({ "data-outcome": item.outcome ?? "pending" })} />
      )}
      {report.hasNextPage && !report.isPlaceholderData && (
        <Button className="load-more" onClick={() => void report.fetchNextPage()} disabled={report.isFetchingNextPage}>
          {report.isFetchingNextPage ? "Loading more…" : "Load more"}
        </Button>
      )}
    </>
  );
}
