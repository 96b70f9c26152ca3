import type { JobView } from "@trellis/api/schemas";
import { Link } from "react-router";
import { DismissButton } from "../../../ui/Toast";
import { isActive, jobStateLabels } from "../../jobs/job-labels";
import { JobActions } from "../../jobs/JobActions";
import { JobDownload } from "../../jobs/JobDownload";
import { JobProgressBar } from "../../jobs/JobState";
import { useLiveJob } from "../../jobs/use-live-job";

/** An export started from the list: its live progress, then the file to download. */
export function ExportRunPanel({ job: started, onDismiss }: { job: JobView; onDismiss: () => void }) {
  const job = useLiveJob(started) ?? started;
  const done = !isActive(job.state);
  return (
    <section className="panel bulk-run" aria-label="Export" data-state={job.state}>
      <div className="page-head">
        <h2>Export — {jobStateLabels[job.state]}</h2>
        <DismissButton onDismiss={onDismiss} />
      </div>
      <JobProgressBar job={job} label="Export" />
      {!done && <JobActions job={job} />}
      {job.error && <p className="overdue">{job.error.message}</p>}
      <div className="actions">
        <JobDownload job={job} withDetails />
        <Link to={`/jobs/${job.id}`}>View the job</Link>
      </div>
    </section>
  );
}
