import { BULK_MAX_IDS, type BulkChange, type BulkSelection, type JobView } from "@trellis/api/schemas";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { useTRPC } from "../../../app/trpc";
import { useIntent } from "../../intents/use-intent";
import { appliedVersion } from "../../jobs/job-labels";
import { bulkIntentLabel, inverseChange } from "./bulk-change";

/** A bulk job started from the list: the job as it answered, what it does, and the run it undoes. */
export interface BulkRun {
  job: JobView;
  change: BulkChange;
  undoOf?: string;
}

/**
 * Starts bulk changes from the projects list as user intents (project.bulk: one Idempotency-Key
 * per submission, so a double click, a retry after a dropped connection or a re-send after a
 * reload start one job), and undoes a finished one.
 */
export function useBulkRun({ onStarted }: { onStarted?: (run: BulkRun) => void } = {}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [run, setRun] = useState<BulkRun | undefined>(undefined);
  const [undoError, setUndoError] = useState<string | undefined>(undefined);
  // What the submission on its way does (one at a time: useIntent drops a submit while one is sending).
  const submitted = useRef<{ change: BulkChange; undoOf: string | undefined } | undefined>(undefined);

  const { submit, isPending, error } = useIntent("project.bulk", {
    onSuccess: (job) => {
      const what = submitted.current;
      if (!what) return;
      const next: BulkRun = { job, change: what.change, ...(what.undoOf && { undoOf: what.undoOf }) };
      setRun(next);
      onStarted?.(next);
    },
  });

  const send = useCallback(
    (change: BulkChange, selection: BulkSelection, undoOf: string | undefined) => {
      setUndoError(undefined);
      submitted.current = { change, undoOf };
      submit({ change, selection }, bulkIntentLabel(change, selection));
    },
    [submit],
  );
  const start = useCallback((change: BulkChange, selection: BulkSelection) => send(change, selection, undefined), [send]);

  /**
   * Undo `of`: the inverse change for the projects it applied to, by id, each at the version its
   * change left (job.items: applied items, a versioned write each, so one above the version it was
   * written against). One changed since is reported as a conflict by the undo job, never overwritten.
   */
  const undo = useCallback(
    async (of: BulkRun) => {
      const change = inverseChange(of.change);
      if (!change) return;
      setUndoError(undefined);
      const ids: Array<{ id: string; expectedVersion: number }> = [];
      let cursor: string | undefined;
      try {
        do {
          const page = await queryClient.fetchQuery(
            trpc.job.items.queryOptions({ id: of.job.id, outcome: "applied", limit: 500, ...(cursor && { cursor }) }, { staleTime: 0 }),
          );
          for (const item of page.items) {
            const expectedVersion = appliedVersion(item);
            if (expectedVersion !== undefined) ids.push({ id: item.itemId, expectedVersion });
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor && ids.length <= BULK_MAX_IDS);
      } catch {
        setUndoError("Could not read which projects were changed. Try again.");
        return;
      }
      if (ids.length === 0) return;
      if (ids.length > BULK_MAX_IDS) {
        setUndoError(`Undo works on up to ${BULK_MAX_IDS} projects at once; select them on the list to change them back.`);
        return;
      }
      send(change, { ids }, of.job.id);
    },
    [queryClient, trpc, send],
  );

  return {
    run,
    start,
    undo,
    dismiss: () => setRun(undefined),
    isPending,
    error,
    undoError,
  };
}
