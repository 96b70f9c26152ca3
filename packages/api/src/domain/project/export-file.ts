import type { Readable } from "node:stream";
import type { JobState } from "@trellis/db";
import type { Context } from "../../context.js";
import { DomainError } from "../../errors.js";
import { readArtifact } from "../../jobs/artifacts.js";
import { JOB_KINDS } from "../../jobs/kinds.js";
import { createCaller } from "../../router.js";
import { EXPORT_ARTIFACT_NAME, exportResultSchema } from "../../routers/project/export-schemas.js";

export interface ExportDownload {
  /** `projects-YYYY-MM-DD.csv`, the (UTC) day the export finished. */
  filename: string;
  contentType: string;
  sizeBytes: number;
  /** The file, read from the database a chunk at a time as it is consumed. */
  body: Readable;
}

/** A finished export's file, or the state of one that has not (yet) succeeded. */
export type ExportFileAnswer = { ready: true; file: ExportDownload } | { ready: false; state: JobState; message: string };

/**
 * An export's file for the caller. Who may is job.byId's decision (signed in; the job's creator or
 * an admin, anyone else gets JOB_NOT_FOUND as for an unknown id), and the call spends the caller's
 * request budget like any read. A job of another kind is not an export: JOB_NOT_FOUND too.
 */
export async function openExportFile(ctx: Context, id: string): Promise<ExportFileAnswer> {
  const job = await createCaller(ctx).job.byId({ id });
  if (job.kind !== JOB_KINDS.projectExport) throw new DomainError("JOB_NOT_FOUND", `No export ${id}`);
  if (job.state !== "succeeded") {
    const message =
      job.state === "failed" || job.state === "cancelled"
        ? `This export ${job.state === "failed" ? "failed" : "was cancelled"}; it has no file (retry it, or start a new export)`
        : `This export is ${job.state}; download the file once it has succeeded (GET /api/v1/jobs/${id} shows its progress)`;
    return { ready: false, state: job.state, message };
  }
  const artifact = exportResultSchema.parse(job.result).artifacts.find((a) => a.name === EXPORT_ARTIFACT_NAME);
  if (!artifact) throw new Error(`export ${id} succeeded without its ${EXPORT_ARTIFACT_NAME}`);
  const day = (job.finishedAt ?? job.createdAt).toISOString().slice(0, 10);
  return {
    ready: true,
    file: { filename: `projects-${day}.csv`, contentType: artifact.contentType, sizeBytes: artifact.sizeBytes, body: readArtifact(ctx.db, id, artifact.name) },
  };
}
