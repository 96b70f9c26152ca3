import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { useSearchParams } from "react-router";
import { useTRPC } from "../../app/trpc";
import { todayIso } from "../../lib/dates";
import { Button, ButtonLink } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { useCurrentUser } from "../auth/current-user";
import { ProjectFilters } from "./components/ProjectFilters";
import { ProjectTable } from "./components/ProjectTable";
import { canWrite } from "./lib/labels";
import { DEFAULT_SORT, type ListState, listInputOf, listStateFromParams, listStateToParams, withListState } from "./lib/list-params";
import { USERS_STALE_MS } from "./lib/owner-options";

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
          <ButtonLink to="/projects/new" primary>
            New project
          </ButtonLink>
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
            <Button onClick={() => setParams(new URLSearchParams())}>Clear filters</Button>
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
            <Button className="load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
              {list.isFetchingNextPage ? "Loading more…" : "Load more"}
            </Button>
          )}
        </>
      )}
    </>
  );
}
