import type { ProjectEvent } from "@trellis/api/schemas";
import { useInfiniteQuery } from "@tanstack/react-query";
import { formatDateTime } from "../lib/dates";
import { fieldLabel, formatChangeValue, inFieldOrder } from "../lib/labels";
import { useTRPC } from "../trpc";
import { ErrorNotice } from "./ErrorNotice";

const actionLabels: Record<ProjectEvent["action"], string> = {
  created: "Created",
  updated: "Updated",
  archived: "Archived",
  restored: "Restored",
  reverted: "Reverted",
};

/** A project's audit trail, newest first, a page at a time. */
export function ActivityList({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
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
            <Changes event={event} />
          </li>
        ))}
      </ol>
      {activity.hasNextPage && (
        <button
          type="button"
          className="button"
          onClick={() => void activity.fetchNextPage()}
          disabled={activity.isFetchingNextPage}
        >
          {activity.isFetchingNextPage ? "Loading…" : "Load more activity"}
        </button>
      )}
    </>
  );
}

function Changes({ event }: { event: ProjectEvent }) {
  const entries = inFieldOrder(Object.entries(event.changes));
  if (entries.length === 0) return null;
  // A creation has no "before": list the initial values that were set.
  if (event.action === "created") {
    const set = entries.filter(([, change]) => formatChangeValue("", change.after) !== "—");
    return (
      <ul className="changes">
        {set.map(([field, change]) => (
          <li key={field}>
            <span className="change-field">{fieldLabel(field)}:</span> {formatChangeValue(field, change.after)}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <ul className="changes">
      {entries.map(([field, change]) => (
        <li key={field}>
          <span className="change-field">{fieldLabel(field)}:</span>{" "}
          <span className="before">{formatChangeValue(field, change.before)}</span> →{" "}
          <span className="after">{formatChangeValue(field, change.after)}</span>
        </li>
      ))}
    </ul>
  );
}
