import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type JobDefinition, JobFailure } from "@trellis/jobs";
import { stringify } from "csv-stringify";
import { countExportRows, EXPORT_PAGE_SIZE, exportRecord, exportRowPages } from "../domain/project/export-rows.js";
import {
  EXPORT_ARTIFACT_NAME,
  EXPORT_COLUMNS,
  EXPORT_CONTENT_TYPE,
  exportProjectsInput,
  type ExportProjectsInput,
  type ExportResult,
} from "../routers/project/export-schemas.js";
import { ARTIFACT_CHUNK_BYTES, ArtifactWriter, discardArtifact } from "./artifacts.js";
import type { JobDeps } from "./deps.js";

/**
 * The project export job: the matching projects, a keyset page at a time, through csv-stringify
 * into the job's artifact, stored in ~256 KB chunks as it goes, so neither the rows nor the file
 * are ever whole in memory. It writes no project, so an attempt is idempotent by starting over:
 * it first deletes what an earlier attempt of this job left. A cancel stops it at the next page
 * (checkpoint); a stopped or failed attempt deletes its partial file.
 */
export function projectExportJob(
  deps: JobDeps,
  options: { pageSize?: number; chunkBytes?: number } = {},
): JobDefinition<ExportProjectsInput, ExportResult> {
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const chunkBytes = options.chunkBytes ?? ARTIFACT_CHUNK_BYTES;
  return {
    // A worker that dies mid-export is noticed within ~30 s and another starts the file again.
    heartbeatSeconds: 30,
    async run({ job, input: raw, progress, checkpoint }) {
      const parsed = exportProjectsInput.safeParse(raw);
      // A stored input that no longer parses will not parse on a retry either.
      if (!parsed.success) throw new JobFailure(`The export's input is invalid: ${parsed.error.message}`, "INVALID_INPUT", false);
      const input = parsed.data;
      const { db } = deps;
      await discardArtifact(db, job.id, EXPORT_ARTIFACT_NAME);
      const total = await countExportRows(db, input);
      let rows = 0;
      progress(0, total, "0 rows");

      async function* records() {
        for await (const page of exportRowPages(db, input, pageSize)) {
          await checkpoint();
          for (const row of page) yield exportRecord(row);
          rows += page.length;
          // Rows created since the count can make the file longer than the total.
          progress(rows, Math.max(total, rows), `${rows} rows`);
          // Let timers run between pages (progress writes, a stop's grace timer): PGlite answers
          // queries without yielding to them.
          await new Promise((r) => setImmediate(r));
        }
      }
      const file = new ArtifactWriter(db, job.id, EXPORT_ARTIFACT_NAME, chunkBytes);
      try {
        await pipeline(Readable.from(records()), stringify({ header: true, columns: [...EXPORT_COLUMNS] }), file);
      } catch (error) {
        // Nobody may download half a file; a retry would delete it anyway, this frees the space now.
        await discardArtifact(db, job.id, EXPORT_ARTIFACT_NAME).catch(() => {});
        throw error;
      }
      return { rows, artifacts: [{ name: EXPORT_ARTIFACT_NAME, contentType: EXPORT_CONTENT_TYPE, sizeBytes: file.sizeBytes, rows }] };
    },
  };
}
