import { BULK_MAX_IDS, type bulkFilterSchema, type BulkSelection } from "@trellis/api/schemas";
import type { z } from "zod";

/** The list's filters (no sort, no paging), as project.bulk selects "everything matching". */
export type BulkFilter = z.infer<typeof bulkFilterSchema>;

/** One checked row: the project and the version the user saw when checking it. */
export interface PickedProject {
  id: string;
  version: number;
}

/**
 * What the projects list has selected, for the list it was made on (`scope`: its filters). By id,
 * each with the version seen when it was checked (a project changed since is reported as a
 * conflict, never overwritten), or "everything matching" the list's filters, resolved when the job
 * starts.
 */
export type SelectionState =
  | { mode: "none"; scope: string }
  | { mode: "ids"; scope: string; picked: ReadonlyMap<string, number> }
  | { mode: "matching"; scope: string; filter: BulkFilter };

export type SelectionAction =
  | { type: "toggle"; scope: string; project: PickedProject }
  | { type: "page"; scope: string; projects: readonly PickedProject[]; selected: boolean }
  | { type: "matching"; scope: string; filter: BulkFilter }
  | { type: "clear" };

export const noSelection = (scope: string): SelectionState => ({ mode: "none", scope });

/** The selection as it applies to the list now: one made under other filters is gone. */
export function selectionFor(state: SelectionState, scope: string): SelectionState {
  return state.scope === scope ? state : noSelection(scope);
}

function picked(state: SelectionState, scope: string): Map<string, number> {
  const current = selectionFor(state, scope);
  return new Map(current.mode === "ids" ? current.picked : []);
}

function fromPicked(scope: string, map: Map<string, number>): SelectionState {
  return map.size === 0 ? noSelection(scope) : { mode: "ids", scope, picked: map };
}

export function selectionReducer(state: SelectionState, action: SelectionAction): SelectionState {
  switch (action.type) {
    case "toggle": {
      // Unchecking one row of "all matching" leaves the rest of the loaded rows: that is a choice by id now.
      const map = picked(state, action.scope);
      if (map.has(action.project.id)) map.delete(action.project.id);
      else map.set(action.project.id, action.project.version);
      return fromPicked(action.scope, map);
    }
    case "page": {
      const map = picked(state, action.scope);
      for (const project of action.projects) {
        if (!action.selected) map.delete(project.id);
        // A row already checked keeps the version it was checked at.
        else if (!map.has(project.id)) map.set(project.id, project.version);
      }
      return fromPicked(action.scope, map);
    }
    case "matching":
      return { mode: "matching", scope: action.scope, filter: action.filter };
    case "clear":
      return noSelection(state.scope);
  }
}

export function isSelected(state: SelectionState, id: string): boolean {
  return state.mode === "matching" || (state.mode === "ids" && state.picked.has(id));
}

/** Whether every, some or none of `ids` (the loaded rows) are selected: the header checkbox. */
export function pageSelection(state: SelectionState, ids: readonly string[]): "all" | "some" | "none" {
  if (ids.length === 0) return "none";
  const count = ids.filter((id) => isSelected(state, id)).length;
  return count === 0 ? "none" : count === ids.length ? "all" : "some";
}

/** How many are selected by id; undefined for "all matching" (the server counts them when the job starts). */
export function pickedCount(state: SelectionState): number | undefined {
  return state.mode === "matching" ? undefined : state.mode === "ids" ? state.picked.size : 0;
}

/** Too many by id for one request: the bar says so and offers "all matching" instead. */
export function overIdLimit(state: SelectionState): boolean {
  return state.mode === "ids" && state.picked.size > BULK_MAX_IDS;
}

/** The selection as project.bulk takes it, or undefined when nothing (or too much by id) is selected. */
export function toBulkSelection(state: SelectionState): BulkSelection | undefined {
  if (state.mode === "matching") return { filter: state.filter };
  if (state.mode === "none" || overIdLimit(state)) return undefined;
  return { ids: [...state.picked].map(([id, expectedVersion]) => ({ id, expectedVersion })) };
}
