import { exportFilePath, jobArtifactSchema, type JobView } from "@trellis/api/schemas";
import { z } from "zod";

/** Any job result that lists files (an export's: exportResultSchema). */
const artifactsResultSchema = z.object({ artifacts: z.array(jobArtifactSchema) });
export type JobArtifact = z.infer<typeof jobArtifactSchema>;

/** The files a finished job made (an export's CSV), or none: another kind, or not done. */
export function jobArtifactsOf(job: Pick<JobView, "state" | "result">): JobArtifact[] {
  if (job.state !== "succeeded") return [];
  const parsed = artifactsResultSchema.safeParse(job.result);
  return parsed.success ? parsed.data.artifacts : [];
}

/** Where an export job's file downloads from (same origin: the session cookie authenticates the GET). */
export function exportDownloadHref(jobId: string): string {
  return `/api/v1${exportFilePath(jobId)}`;
}

/** "512 B", "3.4 kB", "12.0 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
