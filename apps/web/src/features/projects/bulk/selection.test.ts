import { BULK_MAX_IDS } from "@trellis/api/schemas";
import { describe, expect, it } from "vitest";
import {
  isSelected,
  noSelection,
  overIdLimit,
  pageSelection,
  pickedCount,
  selectionFor,
  selectionReducer,
  type SelectionState,
  toBulkSelection,
} from "./selection";

const p = (n: number, version = 1) => ({ id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`, version });
const scope = "status=active";
const run = (...actions: Parameters<typeof selectionReducer>[1][]) => actions.reduce<SelectionState>(selectionReducer, noSelection(scope));

describe("bulk selection", () => {
  it("checks rows by id, each at the version it was checked at", () => {
    const state = run({ type: "toggle", scope, project: p(1, 3) }, { type: "toggle", scope, project: p(2, 1) });
    expect(pickedCount(state)).toBe(2);
    expect(isSelected(state, p(1).id)).toBe(true);
    expect(toBulkSelection(state)).toEqual({ ids: [{ id: p(1).id, expectedVersion: 3 }, { id: p(2).id, expectedVersion: 1 }] });
    const unchecked = selectionReducer(state, { type: "toggle", scope, project: p(1, 3) });
    expect(toBulkSelection(unchecked)).toEqual({ ids: [{ id: p(2).id, expectedVersion: 1 }] });
  });

  it("selects and clears a page; a row checked before keeps its version", () => {
    const state = run(
      { type: "toggle", scope, project: p(1, 3) },
      // The live list has moved p(1) to version 4 since; the user agreed to version 3.
      { type: "page", scope, projects: [p(1, 4), p(2), p(3)], selected: true },
    );
    expect(pageSelection(state, [p(1).id, p(2).id, p(3).id])).toBe("all");
    expect(toBulkSelection(state)).toEqual({
      ids: [{ id: p(1).id, expectedVersion: 3 }, { id: p(2).id, expectedVersion: 1 }, { id: p(3).id, expectedVersion: 1 }],
    });
    expect(pageSelection(state, [p(1).id, p(9).id])).toBe("some");
    const cleared = selectionReducer(state, { type: "page", scope, projects: [p(1), p(2), p(3)], selected: false });
    expect(cleared.mode).toBe("none");
    expect(toBulkSelection(cleared)).toBeUndefined();
  });

  it("selects everything matching the list's filters, and unchecking one row turns it into a choice by id", () => {
    const filter = { status: "active" as const, includeArchived: false };
    const state = run({ type: "matching", scope, filter });
    expect(toBulkSelection(state)).toEqual({ filter });
    expect(pickedCount(state)).toBeUndefined();
    expect(isSelected(state, p(42).id)).toBe(true);
    const one = selectionReducer(state, { type: "toggle", scope, project: p(1) });
    expect(one.mode).toBe("ids");
    expect(pickedCount(one)).toBe(1);
  });

  it("forgets a selection made under other filters", () => {
    const state = run({ type: "toggle", scope, project: p(1) });
    expect(selectionFor(state, scope)).toBe(state);
    expect(selectionFor(state, "status=planning").mode).toBe("none");
    // A toggle under new filters starts afresh instead of adding to the old list's choice.
    const next = selectionReducer(state, { type: "toggle", scope: "status=planning", project: p(2) });
    expect(toBulkSelection(next)).toEqual({ ids: [{ id: p(2).id, expectedVersion: 1 }] });
    expect(selectionReducer(next, { type: "clear" })).toEqual(noSelection("status=planning"));
  });

  it(`refuses more than ${BULK_MAX_IDS} by id (select all matching instead)`, () => {
    const many = Array.from({ length: BULK_MAX_IDS + 1 }, (_, i) => p(i));
    const state = run({ type: "page", scope, projects: many, selected: true });
    expect(overIdLimit(state)).toBe(true);
    expect(toBulkSelection(state)).toBeUndefined();
    const fits = selectionReducer(state, { type: "toggle", scope, project: p(0) });
    expect(overIdLimit(fits)).toBe(false);
    expect(toBulkSelection(fits)).toMatchObject({ ids: expect.any(Array) });
  });
});
