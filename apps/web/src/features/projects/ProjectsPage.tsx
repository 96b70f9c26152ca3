import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useMemo, useReducer } from "react";
import { useSearchParams } from "react-router";
import { useTRPC } from "../../app/trpc";
import { todayIso } from "../../lib/dates";
import { Button, ButtonLink } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { useCurrentUser } from "../auth/current-user";
import { isFinalFailure } from "../../lib/errors";
import { BulkActionBar } from "./bulk/BulkActionBar";
import { BulkRunPanel } from "./bulk/BulkRunPanel";
import { isSelected, noSelection, pageSelection, selectionFor, selectionReducer } from "./bulk/selection";
import { useBulkRun } from "./bulk/use-bulk-run";
import { ExportRunPanel } from "./export/ExportRunPanel";
import { useExportRun } from "./export/use-export-run";
import { ProjectFilters } from "./components/ProjectFilters";
import { ProjectTable } from "./components/ProjectTable";
import { canWrite } from "./lib/labels";
import { bulkFilterOf, DEFAULT_SORT, exportInputOf, type ListState, listInputOf, listStateFromParams, listStateToParams, withListState } from "./lib/list-params";
import { USERS_STALE_MS } from "./lib/owner-options";

export function ProjectsPage() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const state = listStateFromParams(params);
  // The filters without the sort: which projects the list holds (a selection belongs to them).
  const scope = listStateToParams({ ...state, sort: DEFAULT_SORT }).toString();
  const filtered = scope !== "";

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

  // Bulk changes: editors and admins only (the server refuses viewers anyway).
  const writer = canWrite(user.role);
  const [selectionState, dispatch] = useReducer(selectionReducer, scope, noSelection);
  const selection = selectionFor(selectionState, scope);
  const bulk = useBulkRun({ onStarted: () => dispatch({ type: "clear" }) });
  const exporter = useExportRun();
  const pageIds = items.map((project) => project.id);
  const tableSelection = writer
    ? {
        isSelected: (id: string) => isSelected(selection, id),
        page: pageSelection(selection, pageIds),
        onToggle: (project: { id: string; version: number }) => dispatch({ type: "toggle", scope, project }),
        onTogglePage: (selected: boolean) => dispatch({ type: "page", scope, projects: items, selected }),
      }
    : undefined;

  return (
    <>
      <div className="page-head">
        <h1>Projects</h1>
        <div className="actions">
          <Button onClick={() => exporter.start(exportInputOf(state))} disabled={exporter.isPending}>
            {exporter.isPending ? "Starting export…" : "Export CSV"}
          </Button>
          {writer && <ButtonLink to="/projects/import">Import CSV</ButtonLink>}
          {writer && (
            <ButtonLink to="/projects/new" primary>
              New project
            </ButtonLink>
          )}
        </div>
      </div>
      {exporter.error && <ErrorNotice title="Could not start the export" error={exporter.error} />}
      {exporter.job && <ExportRunPanel key={exporter.job.id} job={exporter.job} onDismiss={exporter.dismiss} />}
      <ProjectFilters state={state} users={users.data} user={user} onChange={change} />
      {bulk.run && (
        <BulkRunPanel run={bulk.run} onUndo={(run) => void bulk.undo(run)} undoPending={bulk.isPending} undoError={bulk.undoError} onDismiss={bulk.dismiss} />
      )}
      {writer && (
        <BulkActionBar
          selection={selection}
          loaded={items.length}
          allLoaded={!list.hasNextPage}
          onSelectMatching={() => dispatch({ type: "matching", scope, filter: bulkFilterOf(state) })}
          onClear={() => dispatch({ type: "clear" })}
          onStart={bulk.start}
          pending={bulk.isPending}
          error={bulk.error}
          errorFinal={bulk.error ? isFinalFailure(bulk.error) : true}
        />
      )}

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
          <ProjectTable items={items} today={todayIso()} selection={tableSelection} />
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
