import { describe, expect, it } from "vitest";
import { exportDownloadHref, formatBytes, jobArtifactsOf } from "./job-artifacts";
import { jobKindLabel } from "./job-labels";

const artifact = { name: "projects-2026-01-01.csv", contentType: "text/csv; charset=utf-8", sizeBytes: 2048, rows: 12 };

describe("job artifacts", () => {
  it("lists the files of a succeeded export", () => {
    expect(jobArtifactsOf({ state: "succeeded", result: { artifacts: [artifact], rows: 12 } })).toEqual([artifact]);
  });

  it("has none before it succeeds, or for a kind without files", () => {
    expect(jobArtifactsOf({ state: "running", result: null })).toEqual([]);
    expect(jobArtifactsOf({ state: "failed", result: { artifacts: [artifact] } })).toEqual([]);
    expect(jobArtifactsOf({ state: "succeeded", result: { applied: 3, skipped: 0, conflict: 0, notFound: 0 } })).toEqual([]);
  });

  it("downloads from the export's file route", () => {
    expect(exportDownloadHref("6f1c0a4e-0000-4000-8000-000000000001")).toBe("/api/v1/exports/6f1c0a4e-0000-4000-8000-000000000001/file");
  });

  it("says sizes in words", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(2048)).toBe("2.0 kB");
    expect(formatBytes(12_345_678)).toBe("12.3 MB");
  });

  it("calls an export job an Export, an import's dry run and apply by their mode", () => {
    expect(jobKindLabel("project.export")).toBe("Export");
    expect(jobKindLabel("project.import", { mode: "dryRun", uploadId: "u" })).toBe("Import dry run");
    expect(jobKindLabel("project.import", { mode: "apply", uploadId: "u" })).toBe("Import");
    expect(jobKindLabel("project.import")).toBe("Import");
  });
});
