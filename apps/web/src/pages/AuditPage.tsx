import { auditActions, type AuditAction } from "@trellis/api/schemas";
import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useSearchParams } from "react-router";
import { ErrorNotice } from "../components/ErrorNotice";
import { auditExportHref, auditFilterOf, type AuditFilterState, auditStateFromParams, auditStateToParams } from "../lib/audit-params";
import { auditActionLabels, formatDateTime } from "../lib/auth-labels";
import { useTRPC } from "../trpc";

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
          <button type="button" className="button button-small" onClick={() => setParams(new URLSearchParams(), { replace: true })}>
            Clear filters
          </button>
        )}
      </form>

      {log.isPending && <p role="status">Loading…</p>}
      {log.isError && <ErrorNotice title="Could not load the audit log" error={log.error} onRetry={() => void log.refetch()} />}
      {log.isSuccess && entries.length === 0 && <p className="empty">No events match these filters.</p>}
      {entries.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">IP</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td>{formatDateTime(e.createdAt)}</td>
                  <td>{auditActionLabels[e.action]}</td>
                  <td>{e.actorName ?? <span className="muted">—</span>}</td>
                  <td>{e.targetLabel ?? (e.targetType ? `${e.targetType} ${e.targetId?.slice(0, 8) ?? ""}` : "—")}</td>
                  <td className="mono">{e.ip ?? "—"}</td>
                  <td className="mono small" title={`request ${e.requestId}`}>
                    {summary(e.details)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage && (
        <button type="button" className="button load-more" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage}>
          Load more
        </button>
      )}
    </>
  );
}

function summary(details: Record<string, unknown>): string {
  const text = JSON.stringify(details);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
