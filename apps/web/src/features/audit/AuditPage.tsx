import { auditActions, type AuditAction } from "@trellis/api/schemas";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { RouterOutputs } from "@trellis/api";
import { useSearchParams } from "react-router";
import { useTRPC } from "../../app/trpc";
import { formatDateTime } from "../../lib/dates";
import { Button } from "../../ui/Button";
import { type Column, DataTable } from "../../ui/DataTable";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { auditActionLabels } from "./audit-labels";
import { auditExportHref, auditFilterOf, type AuditFilterState, auditStateFromParams, auditStateToParams } from "./audit-params";

type AuditEntry = RouterOutputs["audit"]["list"]["items"][number];

const columns: Array<Column<AuditEntry>> = [
  { header: "Time", cell: (e) => formatDateTime(e.createdAt) },
  { header: "Action", cell: (e) => auditActionLabels[e.action] },
  { header: "Actor", cell: (e) => e.actorName ?? <span className="muted">—</span> },
  { header: "Target", cell: (e) => e.targetLabel ?? (e.targetType ? `${e.targetType} ${e.targetId?.slice(0, 8) ?? ""}` : "—") },
  { header: "IP", className: "mono", cell: (e) => e.ip ?? "—" },
  { header: "Details", className: "mono small", cellProps: (e) => ({ title: `request ${e.requestId}` }), cell: (e) => summary(e.details) },
];

export function AuditPage() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const state = auditStateFromParams(params);
  const users = useQuery(trpc.user.list.queryOptions());
  const log = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { ...auditFilterOf(state), limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, placeholderData: keepPreviousData },
    ),
  );
  const update = (patch: Partial<AuditFilterState>) => setParams(auditStateToParams({ ...state, ...patch }), { replace: true });
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <div className="page-head">
        <h1>Audit log</h1>
        <a className="button" href={auditExportHref(state)} download>
          Export CSV
        </a>
      </div>
      <form className="filters" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Actor{" "}
          <select value={state.actorId ?? ""} onChange={(e) => update({ actorId: e.target.value || undefined })}>
            <option value="">Anyone</option>
            {users.data?.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Action{" "}
          <select value={state.action ?? ""} onChange={(e) => update({ action: (e.target.value || undefined) as AuditAction | undefined })}>
            <option value="">Any</option>
            {auditActions.map((a) => (
              <option key={a} value={a}>
                {auditActionLabels[a]}
              </option>
            ))}
          </select>
        </label>
        <label>
          From <input type="date" value={state.from ?? ""} onChange={(e) => update({ from: e.target.value || undefined })} />
        </label>
        <label>
          To <input type="date" value={state.to ?? ""} onChange={(e) => update({ to: e.target.value || undefined })} />
        </label>
        {params.toString() && (
          <Button small onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            Clear filters
          </Button>
        )}
      </form>

      {log.isPending && <p role="status">Loading…</p>}
      {log.isError && <ErrorNotice title="Could not load the audit log" error={log.error} onRetry={() => void log.refetch()} />}
      {log.isSuccess && entries.length === 0 && <p className="empty">No events match these filters.</p>}
      {entries.length > 0 && (
        <DataTable label="Audit log" columns={columns} rows={entries} rowKey={(e) => e.id} rowProps={(e) => ({ "data-action": e.action })} />
      )}
      {log.hasNextPage && (
        <Button className="load-more" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          Load more
        </Button>
      )}
    </>
  );
}

function summary(details: Record<string, unknown>): string {
  const text = JSON.stringify(details);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
