import type { JobItemFilter, JobItemOutcome, JobItemView } from "@trellis/api/schemas";
import { keepPreviousData } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router";
import { useTRPC } from "../../app/trpc";
import { useCursorPages } from "../../lib/use-cursor-pages";
import { Button } from "../../ui/Button";
import { type Column, DataTable } from "../../ui/DataTable";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { outcomeLabels } from "../jobs/job-labels";
import { shortId } from "../jobs/JobReport";
import { dryRunOutcomeLabels, importCounts, importRowOf } from "./import-report";

const REFRESH_WHILE_ACTIVE_MS = 2_000;

/**
 * An import job's per-row report: the totals (each a filter: "Errors" shows only the rows that
 * cannot be imported), then the rows, a page at a time, with their field errors by column.
 */
export function ImportReport({ jobId, dryRun, active = false }: { jobId: string; dryRun: boolean; active?: boolean }) {
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
  const label = (o: JobItemOutcome) => (dryRun ? dryRunOutcomeLabels[o] : outcomeLabels[o]);
  const columns: Array<Column<JobItemView>> = [
    { header: "Line", numeric: true, cell: (item) => importRowOf(item).line ?? "—" },
    { header: "Outcome", cell: (item) => (item.outcome ? <span className={`badge outcome-${item.outcome}`}>{label(item.outcome)}</span> : <span className="muted">Pending</span>) },
    {
      header: "Project",
      cell: (item) => {
        const { projectId } = importRowOf(item);
        return projectId ? (
          <Link to={`/projects/${projectId}`} className="mono" title={projectId}>
            {shortId(projectId)}
          </Link>
        ) : (
          "—"
        );
      },
    },
    { header: "Details", cell: (item) => <RowDetails item={item} dryRun={dryRun} /> },
  ];

  return (
    <>
      <div className="segmented" role="group" aria-label="Report filter">
        <Button small aria-pressed={outcome === undefined} onClick={() => setOutcome(undefined)}>
          All <strong data-testid="count-total">&nbsp;{counts?.total ?? 0}</strong>
        </Button>
        {importCounts.map((c) => (
          <Button key={c.outcome} small aria-pressed={outcome === c.outcome} onClick={() => setOutcome(c.outcome)}>
            {dryRun ? c.dryLabel : c.label} <strong data-testid={`count-${c.outcome}`}>&nbsp;{counts?.[c.outcome] ?? 0}</strong>
          </Button>
        ))}
      </div>
      {items.length === 0 ? (
        <p className="muted">{counts?.total === 0 ? "The file has no rows." : "No rows ended this way."}</p>
      ) : (
        <DataTable label="Import report" columns={columns} rows={items} rowKey={(item) => item.seq} rowProps={(item) => ({ "data-outcome": item.outcome ?? "pending" })} />
      )}
      {report.hasNextPage && !report.isPlaceholderData && (
        <Button className="load-more" onClick={() => void report.fetchNextPage()} disabled={report.isFetchingNextPage}>
          {report.isFetchingNextPage ? "Loading more…" : "Load more"}
        </Button>
      )}
    </>
  );
}

function RowDetails({ item, dryRun }: { item: JobItemView; dryRun: boolean }) {
  const row = importRowOf(item);
  if (row.fieldErrors.length > 0 || row.formErrors.length > 0) {
    return (
      <ul className="field-errors" aria-label={`Errors on line ${row.line ?? item.itemId}`}>
        {row.fieldErrors.flatMap(({ column, messages }) =>
          messages.map((message, i) => (
            <li key={`${column}-${i}`} data-column={column}>
              <strong>{column}</strong>: {message}
            </li>
          )),
        )}
        {row.formErrors.map((message, i) => (
          <li key={`row-${i}`}>{message}</li>
        ))}
      </ul>
    );
  }
  if (item.outcome === "conflict") {
    return (
      <span>
        Edited in Trellis since the last import{row.currentVersion !== undefined && ` — now at version ${row.currentVersion}`}; left as it is.
      </span>
    );
  }
  if (item.outcome === "updated" && row.changed.length > 0) {
    return (
      <span>
        {dryRun ? "Would change" : "Changed"}: {row.changed.join(", ")}
        {row.overwritten && " (overwrote an edit made in Trellis)"}
      </span>
    );
  }
  return null;
}
