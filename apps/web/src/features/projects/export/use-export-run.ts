import type { JobView } from "@trellis/api/schemas";
import { useCallback, useState } from "react";
import { useIntent } from "../../intents/use-intent";
import type { MutationInput } from "../../intents/intent-paths";

export type ExportInput = MutationInput<"project.export">;

/**
 * Starts a CSV export of the projects list as a user intent (project.export): one
 * Idempotency-Key per click, so a double click, a retry after a dropped connection or a re-send
 * after a reload start one job. Keeps the job it started, for the panel to follow.
 */
export function useExportRun() {
  const [job, setJob] = useState<JobView | undefined>(undefined);
  const { submit, isPending, error } = useIntent("project.export", { onSuccess: setJob });
  const start = useCallback((input: ExportInput) => submit(input, "Export projects as CSV"), [submit]);
  return { job, start, isPending, error, dismiss: () => setJob(undefined) };
}
