import { projectSorts, projectStatuses, projectStatusSchema } from "@trellis/api/schemas";
import type { CurrentUser } from "../../auth/current-user";
import { sortLabels, statusLabels } from "../lib/labels";
import { DEFAULT_SORT, type ListState } from "../lib/list-params";
import { ownerOptions } from "../lib/owner-options";
import { SearchBox } from "./SearchBox";

export function ProjectFilters({
  state,
  users,
  user,
  onChange,
}: {
  state: ListState;
  /** From user.list; undefined while it loads. */
  users: ReadonlyArray<{ id: string; name: string }> | undefined;
  user: CurrentUser;
  onChange: (change: Partial<ListState>, options?: { replace?: boolean }) => void;
}) {
  // A selected owner from a shared link stays visible while the users load (or if unknown).
  const owners = ownerOptions(users, user, { blank: "Anyone", selected: state.ownerId ? { id: state.ownerId } : undefined });

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
          {owners.map((owner) => (
            <option key={owner.value} value={owner.value}>
              {owner.label}
            </option>
          ))}
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
