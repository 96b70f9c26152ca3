import {
  type ExportProjectsInput,
  type ListProjectsInput,
  type ProjectSort,
  type ProjectStatus,
  projectSorts,
  projectStatusSchema,
} from "@trellis/api/schemas";
import { z } from "zod";
import type { BulkFilter } from "../bulk/selection";

/** The list's filters as the URL holds them, so a reload or a shared link restores the view. */
export interface ListState {
  status: ProjectStatus | undefined;
  ownerId: string | undefined;
  q: string;
  sort: ProjectSort;
  includeArchived: boolean;
}

export const DEFAULT_SORT: ProjectSort = "createdAt_desc";
export const PAGE_SIZE = 50;
const uuid = z.uuid();

/** Unknown or malformed values fall back to defaults instead of failing the request. */
export function listStateFromParams(params: URLSearchParams): ListState {
  const status = projectStatusSchema.safeParse(params.get("status"));
  const owner = uuid.safeParse(params.get("owner"));
  const sort = params.get("sort");
  return {
    status: status.success ? status.data : undefined,
    ownerId: owner.success ? owner.data : undefined,
    q: (params.get("q") ?? "").slice(0, 200),
    sort: projectSorts.find((s) => s === sort) ?? DEFAULT_SORT,
    includeArchived: params.get("archived") === "1",
  };
}

/** Defaults are left out so the plain list has a plain URL. */
export function listStateToParams(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.status) params.set("status", state.status);
  if (state.ownerId) params.set("owner", state.ownerId);
  if (state.q.trim()) params.set("q", state.q.trim());
  if (state.sort !== DEFAULT_SORT) params.set("sort", state.sort);
  if (state.includeArchived) params.set("archived", "1");
  return params;
}

export function withListState(params: URLSearchParams, change: Partial<ListState>): URLSearchParams {
  return listStateToParams({ ...listStateFromParams(params), ...change });
}

/** project.list input without the cursor (the infinite query adds it). Absent filters are omitted, not undefined. */
export function listInputOf(state: ListState): Omit<ListProjectsInput, "cursor"> {
  return { ...bulkFilterOf(state), sort: state.sort, limit: PAGE_SIZE };
}

/** The list's filters as a bulk change selects "everything matching" (no sort, no paging). */
export function bulkFilterOf(state: ListState): BulkFilter {
  const q = state.q.trim();
  return {
    ...(state.status && { status: state.status }),
    ...(state.ownerId && { ownerId: state.ownerId }),
    ...(q && { q }),
    includeArchived: state.includeArchived,
  };
}

/** The list as an export selects it: every matching project (no paging), in the list's order. */
export function exportInputOf(state: ListState): ExportProjectsInput {
  return { ...bulkFilterOf(state), sort: state.sort };
}
