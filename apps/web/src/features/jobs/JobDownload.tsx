import type { JobView } from "@trellis/api/schemas";
import { exportDownloadHref, formatBytes, jobArtifactsOf } from "./job-artifacts";

/**
 * "Download" for a succeeded job that made a file (an export), with the file's name and size;
 * nothing for any other job. A plain link: the browser's own download, authenticated by the
 * session cookie, so a large file never passes through the page's memory.
 */
export function JobDownload({ job, withDetails = false }: { job: Pick<JobView, "id" | "state" | "result">; withDetails?: boolean }) {
  const artifact = jobArtifactsOf(job)[0];
  if (!artifact) return null;
  return (
    <span className="job-download">
      <a href={exportDownloadHref(job.id)} download={artifact.name} type={artifact.contentType}>
        Download
      </a>
      {withDetails && (
        <span className="small muted">
          {" "}
          {artifact.name} · {formatBytes(artifact.sizeBytes)}
          {artifact.rows !== undefined && ` · ${artifact.rows} row${artifact.rows === 1 ? "" : "s"}`}
        </span>
      )}
    </span>
  );
}
