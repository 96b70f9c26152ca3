import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from "react";
import { cacheTargetsFor, type CacheTarget, type ProjectChangeEvent } from "./live-changes";
import { useTRPC } from "../../app/trpc";

type Listener = (event: ProjectChangeEvent) => void;

/** Hands each live change to the components that asked for it (an open editor, say). */
interface ChangeFeed {
  emit(event: ProjectChangeEvent): void;
  listen(listener: Listener): () => void;
}

function createChangeFeed(): ChangeFeed {
  const listeners = new Set<Listener>();
  return {
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    listen: (listener) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

export type LiveStatus = "connecting" | "live" | "reconnecting" | "off";

const FeedContext = createContext<ChangeFeed | null>(null);
const StatusContext = createContext<LiveStatus>("connecting");

/** After the server ends the stream (it shuts down for a deploy), subscribe again this much later. */
const RESUBSCRIBE_MS = 1_000;

/**
 * The app's one subscription to project.changes, for the signed-in pages. Each change updates
 * the cache narrowly (that project's copy, activity and history; lists and stats) and goes to the
 * components listening for that project. The SSE link resumes after the last event id by itself
 * when the connection drops; if the server ends the stream, this subscribes again from there.
 */
export function LiveUpdatesProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [feed] = useState(createChangeFeed);
  const [ready, setReady] = useState(false);
  const lastEventId = useRef<string | undefined>(undefined);
  // Changes only when a new subscription must start (see onConnectionStateChange).
  const [resumeFrom, setResumeFrom] = useState<string | undefined>(undefined);
  const resubscribeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(resubscribeTimer.current), []);

  const invalidate = useCallback(
    (target: CacheTarget) => {
      switch (target.path) {
        case "project.byId":
          return queryClient.invalidateQueries(trpc.project.byId.queryFilter({ id: target.id }));
        case "project.activity":
          return queryClient.invalidateQueries(trpc.project.activity.infiniteQueryFilter({ id: target.id }));
        case "project.history":
          return queryClient.invalidateQueries(trpc.project.history.queryFilter({ id: target.id }));
        case "project.list":
          return queryClient.invalidateQueries(trpc.project.list.pathFilter());
        case "project.stats":
          return queryClient.invalidateQueries(trpc.project.stats.pathFilter());
      }
    },
    [trpc, queryClient],
  );

  const subscription = useSubscription(
    trpc.project.changes.subscriptionOptions(resumeFrom === undefined ? undefined : { lastEventId: resumeFrom }, {
      onData: ({ id, data }) => {
        lastEventId.current = id;
        if (data.type === "ready") {
          setReady(true);
          return;
        }
        const cached = queryClient.getQueryData(trpc.project.byId.queryKey({ id: data.projectId }));
        for (const target of cacheTargetsFor(data, cached?.version)) void invalidate(target);
        feed.emit(data);
      },
      onConnectionStateChange: (state) => {
        // "idle": the stream ended without an error. Start a new one after the last id we saw.
        if (state.state !== "idle") return;
        clearTimeout(resubscribeTimer.current);
        resubscribeTimer.current = setTimeout(() => {
          if (lastEventId.current !== resumeFrom) setResumeFrom(lastEventId.current);
          else subscription.reset();
        }, RESUBSCRIBE_MS);
      },
    }),
  );

  const status: LiveStatus =
    subscription.status === "error" ? "off" : subscription.status === "pending" && ready ? "live" : ready ? "reconnecting" : "connecting";

  return (
    <FeedContext value={feed}>
      <StatusContext value={status}>{children}</StatusContext>
    </FeedContext>
  );
}

export function useLiveStatus(): LiveStatus {
  return useContext(StatusContext);
}

/** The live changes to one project that arrived since the calling component mounted, oldest first. */
export function useProjectChangeEvents(projectId: string): ProjectChangeEvent[] {
  const feed = useContext(FeedContext);
  if (!feed) throw new Error("useProjectChangeEvents must be used below <LiveUpdatesProvider>");
  const [events, setEvents] = useState<ProjectChangeEvent[]>([]);
  useEffect(
    () =>
      feed.listen((event) => {
        if (event.projectId === projectId) setEvents((all) => [...all, event]);
      }),
    [feed, projectId],
  );
  return events;
}
