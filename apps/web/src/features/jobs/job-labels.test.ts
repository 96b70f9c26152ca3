import type { JobView } from "@trellis/api/schemas";
import { describe, expect, it } from "vitest";
import {
  appliedVersion,
  bulkChangeLabel,
  bulkResultOf,
  canCancel,
  canRetry,
  formatDuration,
  itemOutcomeText,
  jobDuration,
  jobKindLabel,
  progressPercent,
  progressText,
} from "./job-labels";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 12, 0, s));

describe("job kind labels", () => {
  it("says what a bulk change does, from the job's input or its change", () => {
    expect(bulkChangeLabel({ action: "archive" })).toBe("Bulk archive");
    expect(bulkChangeLabel({ action: "restore" })).toBe("Bulk restore");
    expect(bulkChangeLabel({ action: "setStatus", status: "active" })).toBe("Set status: Active");
    expect(jobKindLabel("project.bulk", { change: { action: "setStatus", status: "on_hold" }, selection: { filter: {} } })).toBe("Set status: On hold");
    expect(jobKindLabel("project.bulk", { action: "archive" })).toBe("Bulk archive");
  });

  it("falls back to the kind's name, and an unknown kind as stored", () => {
    expect(jobKindLabel("project.bulk")).toBe("Bulk change");
    expect(jobKindLabel("project.bulk", { change: { action: "explode" } })).toBe("Bulk change");
    expect(jobKindLabel("maintenance")).toBe("Maintenance");
    expect(jobKindLabel("report.export")).toBe("report.export");
  });
});

describe("job state and progress", () => {
  it("offers cancel while a job can still stop, retry only after it failed", () => {
    expect(canCancel({ state: "running", cancelRequested: false })).toBe(true);
    expect(canCancel({ state: "queued", cancelRequested: false })).toBe(true);
    expect(canCancel({ state: "running", cancelRequested: true })).toBe(false);
    expect(canCancel({ state: "succeeded", cancelRequested: false })).toBe(false);
    expect(canRetry({ state: "failed" })).toBe(true);
    expect(canRetry({ state: "cancelled" })).toBe(true);
    expect(canRetry({ state: "succeeded" })).toBe(false);
    expect(canRetry({ state: "running" })).toBe(false);
  });

  it("reads progress as whole percents, 100 once succeeded, unknown without a total", () => {
    expect(progressPercent({ state: "running", progress: { done: 12, total: 30 } })).toBe(40);
    expect(progressPercent({ state: "running", progress: { done: 29, total: 30 } })).toBe(96);
    expect(progressPercent({ state: "running", progress: { done: 0, total: 0 } })).toBeUndefined();
    expect(progressPercent({ state: "queued", progress: null })).toBeUndefined();
    expect(progressPercent({ state: "succeeded", progress: null })).toBe(100);
    expect(progressText({ state: "running", progress: { done: 12, total: 30, message: "archiving" } })).toBe("12 of 30 — archiving");
    expect(progressText({ state: "queued", progress: null })).toBe("Waiting to start");
  });

  it("formats durations, running ones up to now", () => {
    expect(formatDuration(420)).toBe("0.4 s");
    expect(formatDuration(12_400)).toBe("12 s");
    expect(formatDuration(185_000)).toBe("3 min 05 s");
    expect(formatDuration(7_800_000)).toBe("2 h 10 min");
    expect(jobDuration({ startedAt: null, finishedAt: null })).toBeUndefined();
    expect(jobDuration({ startedAt: at(0), finishedAt: at(5) })).toBe(5_000);
    expect(jobDuration({ startedAt: at(0), finishedAt: null }, at(2))).toBe(2_000);
  });

  it("reads a bulk result only when it is one", () => {
    const result = { total: 30, applied: 28, skipped: 1, conflict: 1, notFound: 0 };
    expect(bulkResultOf({ result } as Pick<JobView, "result">)).toEqual(result);
    expect(bulkResultOf({ result: null })).toBeUndefined();
    expect(bulkResultOf({ result: { swept: 3 } })).toBeUndefined();
  });
});

describe("report lines", () => {
  it("says what became of each project, a conflict with the version it is at now", () => {
    expect(itemOutcomeText({ outcome: "conflict", detail: { currentVersion: 7 }, expectedVersion: 5 })).toBe(
      "Changed by someone else — now at version 7",
    );
    expect(itemOutcomeText({ outcome: "applied", detail: null, expectedVersion: 3 })).toBe("Changed — now at version 4");
    expect(itemOutcomeText({ outcome: "applied", detail: { version: 9 }, expectedVersion: 3 })).toBe("Changed — now at version 9");
    expect(itemOutcomeText({ outcome: "skipped", detail: null, expectedVersion: 2 })).toBe("Already that way, left as it was");
    expect(itemOutcomeText({ outcome: "skipped", detail: { reason: "already archived", version: 2 }, expectedVersion: 2 })).toBe(
      "Left as it was: already archived",
    );
    expect(itemOutcomeText({ outcome: "not_found", detail: null, expectedVersion: 2 })).toBe("No such project (deleted, or never existed)");
    expect(itemOutcomeText({ outcome: "failed", detail: { message: "timed out" }, expectedVersion: 2 })).toBe("Failed: timed out");
    expect(itemOutcomeText({ outcome: null, detail: null, expectedVersion: 2 })).toBe("Not done yet");
  });

  it("knows the version an applied change left, for an undo that must not overwrite", () => {
    expect(appliedVersion({ detail: { version: 12 }, expectedVersion: 3 })).toBe(12);
    expect(appliedVersion({ detail: {}, expectedVersion: 3 })).toBe(4);
    expect(appliedVersion({ detail: null, expectedVersion: null })).toBeUndefined();
  });
});
