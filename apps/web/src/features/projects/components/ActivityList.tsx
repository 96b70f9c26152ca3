import { useInfiniteQuery } from "@tanstack/react-query";
import { useOwnerNames } from "../hooks/use-owner-names";
import { formatDateTime } from "../../../lib/dates";
import { actionLabels } from "../lib/labels";
import { useTRPC } from "../../../app/trpc";
import { ChangeList } from "./ChangeList";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { Button } from "../../../ui/Button";

/** A project's audit trail, newest first, a page at a time. */
export function ActivityList({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const ownerNames = useOwnerNames();
  const activity = useInfiniteQuery(
    trpc.project.activity.infiniteQueryOptions(
      { id: projectId },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );

  if (activity.isPending) return <p role="status">Loading activity…</p>;
  if (activity.isError) return <ErrorNotice title="Could not load activity" error={activity.error} onRetry={() => void activity.refetch()} />;

  const events = activity.data.pages.flatMap((page) => page.items);
  if (events.length === 0) return <p className="muted">No activity yet.</p>;
  return (
    <>
      <ol className="activity" aria-label="Activity">
        {events.map((event) => (
          <li key={event.id} className="activity-item">
            <p className="activity-head">
              <strong>{actionLabels[event.action]}</strong> by {event.actorName}
              <span className="muted">
                {" "}
                · v{event.version} · <time dateTime={event.createdAt.toISOString()}>{formatDateTime(event.createdAt)}</time>
              </span>
            </p>
            <ChangeList changes={event.changes} action={event.action} ownerNames={ownerNames} />
          </li>
        ))}
      </ol>
      {activity.hasNextPage && (
        <Button onClick={() => void activity.fetchNextPage()} disabled={activity.isFetchingNextPage}>
          {activity.isFetchingNextPage ? "Loading…" : "Load more activity"}
        </Button>
      )}
    </>
  );
}
