import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTRPC } from "../../../app/trpc";
import { Button } from "../../../ui/Button";
import { DismissButton } from "../../../ui/Toast";
import { bulkChangeLabel, isActive, jobStateLabels, reportCounts } from "../../jobs/job-labels";
import { JobActions } from "../../jobs/JobActions";
import { JobProgressBar } from "../../jobs/JobState";
import { useLiveJob } from "../../jobs/use-live-job";
import { inverseChange } from "./bulk-change";
import type { BulkRun } from "./use-bulk-run";

/**
 * A bulk job started from the list: its live progress, then the report (counts, a link to the
 * job's page) and Undo for an archive or restore. Undo starts the inverse job for the projects
 * this one changed; its progress replaces this.
 */
export function BulkRunPanel({
  run,
  onUndo,
  undoPending,
  undoError,
  onDismiss,
}: {
  run: BulkRun;
  onUndo: (run: BulkRun) => void;
  undoPending: boolean;
  undoError: string | undefined;
  onDismiss: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const job =
    useLiveJob(run.job, {
      onFinished: () => {
        // The live feed refreshes the list as projects change; once more at the end, narrowly.
        void queryClient.invalidateQueries(trpc.project.list.pathFilter());
        void queryClient.invalidateQueries(trpc.project.stats.pathFilter());
      },
    }) ?? run.job;
  const done = !isActive(job.state);
  const counts = useQuery(trpc.job.items.queryOptions({ id: job.id, limit: 1 }, { enabled: done }));
  const label = bulkChangeLabel(run.change);
  const applied = counts.data?.counts.applied ?? 0;
  const canUndo = done && !run.undoOf && inverseChange(run.change) !== undefined && applied > 0;

  return (
    <section className="panel bulk-run" aria-label="Bulk change" data-state={job.state}>
      <div className="page-head">
        <h2>
          {run.undoOf ? `Undo: ${label}` : label} — {jobStateLabels[job.state]}
        </h2>
        <DismissButton onDismiss={onDismiss} />
      </div>
      <JobProgressBar job={job} label={label} />
      {!done && <JobActions job={job} />}
      {job.error && <p className="overdue">{job.error.message}</p>}
      {done && counts.data && (
        <ul className="report-counts" aria-label="Report">
          {reportCounts.map(({ outcome, label: what }) => (
            <li key={outcome} data-outcome={outcome}>
              <strong>{counts.data.counts[outcome]}</strong> {what}
            </li>
          ))}
          {counts.data.counts.failed > 0 && (
            <li data-outcome="failed">
              <strong>{counts.data.counts.failed}</strong> failed
            </li>
          )}
          {counts.data.counts.pending > 0 && (
            <li data-outcome="pending">
              <strong>{counts.data.counts.pending}</strong> not done
            </li>
          )}
        </ul>
      )}
      <div className="actions">
        <Link to={`/jobs/${job.id}`}>{done ? "View the report" : "View the job"}</Link>
        {canUndo && (
          <Button small onClick={() => onUndo(run)} disabled={undoPending}>
            {undoPending ? "Undoing…" : "Undo"}
          </Button>
        )}
      </div>
      {undoError && (
        <p className="small overdue" role="alert">
          {undoError}
        </p>
      )}
    </section>
  );
}
