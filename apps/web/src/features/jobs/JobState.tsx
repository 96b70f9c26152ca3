import type { JobView } from "@trellis/api/schemas";
import { ProgressBar } from "../../ui/ProgressBar";
import { jobLabel, jobStateLabels, progressPercent, progressText } from "./job-labels";

export function JobStateBadge({ job }: { job: Pick<JobView, "state" | "cancelRequested"> }) {
  return (
    <>
      <span className={`badge job-${job.state}`} data-state={job.state}>
        {jobStateLabels[job.state]}
      </span>
      {job.cancelRequested && job.state === "running" && <span className="badge badge-muted">Cancelling…</span>}
    </>
  );
}

/** A job's progress bar, named after the job ("Bulk archive progress"); `label` when the page knows better. */
export function JobProgressBar({ job, label = jobLabel(job) }: { job: JobView; label?: string }) {
  const tone = job.state === "failed" ? "danger" : job.state === "cancelled" ? "muted" : "ok";
  return <ProgressBar label={`${label} progress`} value={progressPercent(job)} valueText={progressText(job)} tone={tone} />;
}
