import { projectSorts, projectStatuses, projectStatusSchema } from "@trellis/api/schemas";
import type { CurrentUser } from "../hooks/current-user";
import { sortLabels, statusLabels } from "../lib/labels";
import { DEFAULT_SORT, type ListState } from "../lib/list-params";
import { SearchBox } from "./SearchBox";

export function ProjectFilters({
  state,
  owners,
  user,
  onChange,
}: {
  state: ListState;
  owners: Array<{ id: string; name: string }>;
  user: CurrentUser;
  onChange: (change: Partial<ListState>, options?: { replace?: boolean }) => void;
}) {
  // The selected owner may not be among the loaded rows (e.g. a shared link); still show it.
  const ownerOptions = owners.filter((o) => o.id !== user.id);
  const selectedUnknown = state.ownerId && state.ownerId !== user.id && !owners.some((o) => o.id === state.ownerId);

  return (
    <div className="filters" role="search">
      <SearchBox value={state.q} onSearch={(q) => onChange({ q }, { replace: true })} />
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select
          id="filter-status"
          value={state.status ?? ""}
          onChange={(e) => {
            const parsed = projectStatusSchema.safeParse(e.target.value);
            onChange({ status: parsed.success ? parsed.data : undefined });
          }}
        >
          <option value="">Any status</option>
          {projectStatuses.map((status) => (
            <option key={status} value={status}>
              {statusLabels[status]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-owner">Owner</label>
        <select id="filter-owner" value={state.ownerId ?? ""} onChange={(e) => onChange({ ownerId: e.target.value || undefined })}>
          <option value="">Anyone</option>
          <option value={user.id}>Me ({user.name})</option>
          {ownerOptions.map((owner) => (
            <option key={owner.id} value={owner.id}>
              {owner.name}
            </option>
          ))}
          {selectedUnknown && <option value={state.ownerId}>User {state.ownerId!.slice(0, 8)}…</option>}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-sort">Sort</label>
        <select
          id="filter-sort"
          value={state.sort}
          onChange={(e) => onChange({ sort: projectSorts.find((s) => s === e.target.value) ?? DEFAULT_SORT })}
        >
          {projectSorts.map((sort) => (
            <option key={sort} value={sort}>
              {sortLabels[sort]}
            </option>
          ))}
        </select>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={state.includeArchived}
          onChange={(e) => onChange({ includeArchived: e.target.checked })}
        />
        Include archived
      </label>
    </div>
  );
}
