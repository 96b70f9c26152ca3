import type { JobView } from "@trellis/api/schemas";
import { Link } from "react-router";
import { isActive, jobStateLabels } from "../jobs/job-labels";
import { JobActions } from "../jobs/JobActions";
import { JobProgressBar } from "../jobs/JobState";
import { ImportReport } from "./ImportReport";

/**
 * A dry run or an apply: its progress, then its per-row report and a link to the job. `job` is
 * kept live by the page (useLiveJob), which also needs to know when the dry run has succeeded.
 */
export function ImportJobPanel({ job, title, dryRun }: { job: JobView; title: string; dryRun: boolean }) {
  const done = !isActive(job.state);
  return (
    <section className="panel bulk-run" aria-label={title} data-state={job.state}>
      <div className="page-head">
        <h2>
          {title} — {jobStateLabels[job.state]}
        </h2>
        <Link to={`/jobs/${job.id}`}>View the job</Link>
      </div>
      <JobProgressBar job={job} label={title} />
      {!done && <JobActions job={job} />}
      {job.error && <p className="overdue">{job.error.message}</p>}
      {done && <ImportReport jobId={job.id} dryRun={dryRun} />}
    </section>
  );
}
