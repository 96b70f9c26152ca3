import type { JobView } from "@trellis/api/schemas";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTRPC } from "../../app/trpc";
import { isActive } from "./job-labels";

/** Stands in for the id while there is no job yet (the queries are disabled then). */
const NO_JOB = "00000000-0000-4000-8000-000000000000";
const POLL_MS = 2_000;

/** What went stale when a job ended: the lists it is in, its own copy and its report. */
export function useJobFinished(): (job: JobView) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    (job: JobView) => {
      queryClient.setQueryData(trpc.job.byId.queryKey({ id: job.id }), job);
      void queryClient.invalidateQueries(trpc.job.list.pathFilter());
      void queryClient.invalidateQueries(trpc.job.items.pathFilter());
      void queryClient.invalidateQueries(trpc.job.events.pathFilter());
    },
    [trpc, queryClient],
  );
}

/**
 * `job` kept live: while it can still change (queued, running, retrying) and `live` is on, the
 * job.progress subscription (SSE; the link resumes after its last event id when the connection
 * drops) hands over each newer view; the freshest of that and `job` is returned. When it ends,
 * the caches that hold it are refreshed and `onFinished` runs once.
 */
export function useLiveJob(job: JobView | undefined, { live = true, onFinished }: { live?: boolean; onFinished?: (job: JobView) => void } = {}) {
  const trpc = useTRPC();
  const finished = useJobFinished();
  const [latest, setLatest] = useState<JobView | undefined>(undefined);
  const reported = useRef<string | undefined>(undefined);

  const [streamFailed, setStreamFailed] = useState(false);
  // Without a stream (refused: too many open, or it failed), read the job every few seconds instead.
  const polled = useQuery(
    trpc.job.byId.queryOptions({ id: job?.id ?? NO_JOB }, {
      enabled: streamFailed && job !== undefined,
      refetchInterval: (query) => (query.state.data && !isActive(query.state.data.state) ? false : POLL_MS),
    }),
  );
  // The newest of what the page has (a refetch), what the stream said and what polling read.
  const current = [job, latest, polled.data]
    .filter((view): view is JobView => view !== undefined && view.id === job?.id)
    .reduce<JobView | undefined>((newest, view) => (!newest || view.updatedAt > newest.updatedAt ? view : newest), undefined);
  const enabled = live && job !== undefined && isActive(current?.state ?? job.state);

  useSubscription(
    trpc.job.progress.subscriptionOptions(
      { id: job?.id ?? NO_JOB },
      {
        enabled: enabled && !streamFailed,
        onError: () => setStreamFailed(true),
        onData: ({ data }) => {
          setLatest(data);
          if (!isActive(data.state) && reported.current !== data.id) {
            reported.current = data.id;
            finished(data);
            onFinished?.(data);
          }
        },
      },
    ),
  );

  // Polling ends with the job, like the stream would.
  const polledFinal = streamFailed && current && !isActive(current.state) ? current : undefined;
  useEffect(() => {
    if (!polledFinal || reported.current === polledFinal.id) return;
    reported.current = polledFinal.id;
    finished(polledFinal);
    onFinished?.(polledFinal);
  }, [polledFinal, finished, onFinished]);

  return current;
}
