import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import { ErrorNotice } from "../components/ErrorNotice";
import { ProjectFilters } from "../components/ProjectFilters";
import { ProjectTable } from "../components/ProjectTable";
import { useCurrentUser } from "../hooks/current-user";
import { todayIso } from "../lib/dates";
import { canWrite } from "../lib/labels";
import { DEFAULT_SORT, type ListState, listInputOf, listStateFromParams, listStateToParams, withListState } from "../lib/list-params";
import { USERS_STALE_MS } from "../lib/owner-options";
import { useTRPC } from "../trpc";

export function ProjectsPage() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const state = listStateFromParams(params);
  const filtered = listStateToParams({ ...state, sort: DEFAULT_SORT }).toString() !== "";

  const list = useInfiniteQuery(
    trpc.project.list.infiniteQueryOptions(listInputOf(state), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
      // Keep showing the old rows while a new filter loads, instead of flashing "Loading".
      placeholderData: keepPreviousData,
    }),
  );
  const items = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  const users = useQuery(trpc.user.list.queryOptions(undefined, { staleTime: USERS_STALE_MS }));

  const change = (next: Partial<ListState>, options?: { replace?: boolean }) =>
    setParams(withListState(params, next), options);

  return (
    <>
      <div className="page-head">
        <h1>Projects</h1>
        {canWrite(user.role) && (
          <Link to="/projects/new" className="button button-primary">
            New project
          </Link>
        )}
      </div>
      <ProjectFilters state={state} users={users.data} user={user} onChange={change} />

      {list.isPending ? (
        <p className="page-status" role="status">
          Loading projects…
        </p>
      ) : list.isError && items.length === 0 ? (
        <ErrorNotice title="Could not load projects" error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <div className="empty">
          <p>No projects match.</p>
          {filtered && (
            <button type="button" className="button" onClick={() => setParams(new URLSearchParams())}>
              Clear filters
            </button>
          )}
        </div>
      ) : (
        <>
          <p className="muted small list-summary" role="status">
            {list.isPlaceholderData ? "Updating…" : `Showing ${items.length} project${items.length === 1 ? "" : "s"}`}
          </p>
          <ProjectTable items={items} today={todayIso()} />
          {list.isFetchNextPageError && <ErrorNotice title="Could not load more" error={list.error} />}
          {list.hasNextPage && !list.isPlaceholderData && (
            <button
              type="button"
              className="button load-more"
              onClick={() => void list.fetchNextPage()}
              disabled={list.isFetchingNextPage}
            >
              {list.isFetchingNextPage ? "Loading more…" : "Load more"}
            </button>
          )}
        </>
      )}
    </>
  );
}
