import { describe, expect, it } from "vitest";
import { importRowOf } from "./import-report";

const projectId = "6f1c0a4e-0000-4000-8000-000000000001";

describe("an import report row", () => {
  it("reads the line, the field errors by column and the project", () => {
    const row = importRowOf({
      itemId: "5",
      detail: { line: 5, fieldErrors: { Budget: ["Must be a number"], Due: ["Must be a date (YYYY-MM-DD)"] }, projectId, currentVersion: 4 },
    });
    expect(row).toEqual({
      line: 5,
      fieldErrors: [
        { column: "Budget", messages: ["Must be a number"] },
        { column: "Due", messages: ["Must be a date (YYYY-MM-DD)"] },
      ],
      formErrors: [],
      projectId,
      currentVersion: 4,
      changed: [],
      overwritten: false,
    });
  });

  it("falls back to the item id for the line when the detail is missing or malformed", () => {
    expect(importRowOf({ itemId: "7", detail: null }).line).toBe(7);
    expect(importRowOf({ itemId: "7", detail: { line: "x" } })).toMatchObject({ line: 7, fieldErrors: [], projectId: undefined });
    expect(importRowOf({ itemId: "row", detail: null }).line).toBeUndefined();
  });

  it("keeps errors about the whole row and what an update changes", () => {
    const row = importRowOf({ itemId: "3", detail: { line: 3, formErrors: ["Ragged row: 4 cells, 5 columns"], changed: ["status"], overwritten: true } });
    expect(row).toMatchObject({ formErrors: ["Ragged row: 4 cells, 5 columns"], changed: ["status"], overwritten: true });
  });
});
