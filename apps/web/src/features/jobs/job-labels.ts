import {
  type BulkChange,
  bulkChangeSchema,
  type BulkResult,
  bulkResultSchema,
  type JobItemOutcome,
  type JobItemView,
  type JobState,
  type JobView,
} from "@trellis/api/schemas";
import { statusLabels } from "../projects/lib/labels";

export const jobStateLabels: Record<JobState, string> = {
  queued: "Queued",
  running: "Running",
  retrying: "Retrying",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** States a job can still leave: it is waiting, working, or waiting for its next attempt. */
export const activeJobStates = ["queued", "running", "retrying"] as const satisfies readonly JobState[];

export function isActive(state: JobState): boolean {
  return (activeJobStates as readonly JobState[]).includes(state);
}

/** What the buttons may offer; the server decides (409 with the state), this only hides what would fail. */
export function canCancel(job: Pick<JobView, "state" | "cancelRequested">): boolean {
  return isActive(job.state) && !job.cancelRequested;
}

/** A failed or cancelled job may run again, as one new attempt (a writer's command: viewers may not). */
export function canRetry(job: Pick<JobView, "state">): boolean {
  return job.state === "failed" || job.state === "cancelled";
}

/** A bulk change in words: "Bulk archive", "Bulk restore", "Set status: Active". */
export function bulkChangeLabel(change: BulkChange): string {
  switch (change.action) {
    case "archive":
      return "Bulk archive";
    case "restore":
      return "Bulk restore";
    case "setStatus":
      return `Set status: ${statusLabels[change.status]}`;
  }
}

const kindLabels = new Map<string, string>([
  ["project.bulk", "Bulk change"],
  ["project.export", "Export"],
  ["project.import", "Import"],
  ["maintenance", "Maintenance"],
]);

/**
 * A job's kind in words. A bulk change says what it does when its input (or just its change)
 * comes with the job; otherwise the kind's name, and an unknown kind as stored.
 */
export function jobKindLabel(kind: string, input?: unknown): string {
  if (kind === "project.bulk") {
    const change = bulkChangeOf(input);
    if (change) return bulkChangeLabel(change);
  }
  if (kind === "project.import" && isImportDryRun(input)) return "Import dry run";
  return kindLabels.get(kind) ?? kind;
}

/** An import's dry run and its apply are one kind, "project.import"; the input's mode tells them apart. */
export function isImportDryRun(input: unknown): boolean {
  return typeof input === "object" && input !== null && "mode" in input && input.mode === "dryRun";
}

/** The change of a bulk job's input (`{ change, selection }`), or the change itself. */
export function bulkChangeOf(input: unknown): BulkChange | undefined {
  const candidate = typeof input === "object" && input !== null && "change" in input ? input.change : input;
  const parsed = bulkChangeSchema.safeParse(candidate);
  return parsed.success ? parsed.data : undefined;
}

/** The label of a job as the API answers it: with its input when the view carries one. */
export function jobLabel(job: Pick<JobView, "kind">): string {
  return jobKindLabel(job.kind, "input" in job ? job.input : undefined);
}

/** A bulk job's result, or undefined for another kind or one not finished. */
export function bulkResultOf(job: Pick<JobView, "result">): BulkResult | undefined {
  const parsed = bulkResultSchema.safeParse(job.result);
  return parsed.success ? parsed.data : undefined;
}

/** Percent done, 0–100, whole numbers; a finished success is 100 even if it never said so. */
export function progressPercent(job: Pick<JobView, "progress" | "state">): number | undefined {
  if (job.state === "succeeded") return 100;
  const progress = job.progress;
  if (!progress || progress.total <= 0) return undefined;
  return Math.max(0, Math.min(100, Math.floor((progress.done / progress.total) * 100)));
}

/** "0.4 s", "12 s", "3 min 05 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  if (ms < 0) ms = 0;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** How long it ran (so far, for a running one); undefined before it started. */
export function jobDuration(job: Pick<JobView, "startedAt" | "finishedAt">, now: Date = new Date()): number | undefined {
  if (!job.startedAt) return undefined;
  return (job.finishedAt ?? now).getTime() - job.startedAt.getTime();
}

/** "12 of 30", with the handler's own message when it gave one. */
export function progressText(job: Pick<JobView, "progress" | "state">): string {
  const progress = job.progress;
  if (!progress) return job.state === "queued" ? "Waiting to start" : "";
  const counts = `${progress.done} of ${progress.total}`;
  return progress.message ? `${counts} — ${progress.message}` : counts;
}

export const outcomeLabels: Record<JobItemOutcome, string> = {
  applied: "Applied",
  skipped: "Skipped",
  conflict: "Conflict",
  not_found: "Not found",
  failed: "Failed",
  created: "Created",
  updated: "Updated",
  unchanged: "Unchanged",
  error: "Error",
};

/** The report's counts in the order people read them; `notFound` is the result's name for not_found. */
export const reportCounts = [
  { outcome: "applied", key: "applied", label: "applied" },
  { outcome: "skipped", key: "skipped", label: "skipped" },
  { outcome: "conflict", key: "conflict", label: "conflicts" },
  { outcome: "not_found", key: "notFound", label: "not found" },
] as const satisfies ReadonlyArray<{ outcome: JobItemOutcome; key: keyof BulkResult; label: string }>;

/** One line of the report about one project, in words. */
export function itemOutcomeText(item: Pick<JobItemView, "outcome" | "detail" | "expectedVersion">): string {
  const detail = item.detail ?? {};
  switch (item.outcome) {
    case null:
      return "Not done yet";
    case "applied": {
      const version = appliedVersion(item);
      return version === undefined ? "Changed" : `Changed — now at version ${version}`;
    }
    case "skipped": {
      const reason = detail.reason;
      return typeof reason === "string" && reason ? `Left as it was: ${reason}` : "Already that way, left as it was";
    }
    case "conflict": {
      const current = numberIn(detail, "currentVersion");
      return current === undefined ? "Changed by someone else — left as they made it" : `Changed by someone else — now at version ${current}`;
    }
    case "not_found":
      return "No such project (deleted, or never existed)";
    case "failed": {
      const message = detail.message;
      return typeof message === "string" && message ? `Failed: ${message}` : "Failed";
    }
    // An import row's outcomes.
    case "created":
      return "Created";
    case "updated":
      return "Updated";
    case "unchanged":
      return "Unchanged";
    case "error": {
      const message = detail.message;
      return typeof message === "string" && message ? `Error: ${message}` : "Error";
    }
  }
}

/**
 * The version an applied item left its project at: the handler's own word when its detail says,
 * else one above the version it was written against (an applied change is one versioned write).
 */
export function appliedVersion(item: Pick<JobItemView, "detail" | "expectedVersion">): number | undefined {
  return numberIn(item.detail ?? {}, "version") ?? (item.expectedVersion === null ? undefined : item.expectedVersion + 1);
}

function numberIn(detail: Record<string, unknown>, key: string): number | undefined {
  const value = detail[key];
  return typeof value === "number" && Number.isInteger(value) ? value : undefined;
}
