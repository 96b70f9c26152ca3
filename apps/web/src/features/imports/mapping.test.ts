import { describe, expect, it } from "vitest";
import { assignColumn, ignoredColumns, initialMapping, isEdited, mappingInput, mappingReducer, missingFields } from "./mapping";

type Field = "name" | "status" | "ownerEmail" | "budget";
const columns = ["Title", "State", "Owner", "Notes"];

describe("import column mapping", () => {
  it("starts from the server's suggestion, every header column present, unknown ones ignored", () => {
    const state = initialMapping<Field>(columns, { Title: "name", State: "status", Owner: "ownerEmail", Notes: "ignore" });
    expect(state.mapping).toEqual({ Title: "name", State: "status", Owner: "ownerEmail", Notes: null });
    expect(ignoredColumns(state)).toEqual(["Notes"]);
    expect(isEdited(state)).toBe(false);
  });

  it("keeps one column per field: a suggestion naming a field twice keeps the first column", () => {
    const state = initialMapping<Field>(["Name", "Title"], { Name: "name", Title: "name" });
    expect(state.mapping).toEqual({ Name: "name", Title: null });
  });

  it("moves a field from the column that had it when the user picks it for another", () => {
    const mapping = assignColumn<Field>({ Title: "name", Notes: null }, "Notes", "name");
    expect(mapping).toEqual({ Title: null, Notes: "name" });
  });

  it("ignores a column when its field is cleared, and leaves the others alone", () => {
    expect(assignColumn<Field>({ Title: "name", State: "status" }, "State", null)).toEqual({ Title: "name", State: null });
  });

  it("does not add columns the file does not have", () => {
    const mapping = { Title: "name" } as const;
    expect(assignColumn<Field>(mapping, "Budget", "budget")).toBe(mapping);
  });

  it("tells an edited mapping from the suggestion and resets to it", () => {
    const start = initialMapping<Field>(columns, { Title: "name", State: "status" });
    const edited = mappingReducer(start, { type: "set", column: "Notes", field: "budget" });
    expect(isEdited(edited)).toBe(true);
    expect(mappingInput(edited)).toEqual({ Title: "name", State: "status", Owner: "ignore", Notes: "budget" });
    const reset = mappingReducer(edited, { type: "reset" });
    expect(isEdited(reset)).toBe(false);
    expect(mappingInput(reset)).toEqual({ Title: "name", State: "status", Owner: "ignore", Notes: "ignore" });
  });

  it("names the required fields no column maps to", () => {
    expect(missingFields<Field>({ State: "status" }, ["name"])).toEqual(["name"]);
    expect(missingFields<Field>({ Title: "name" }, ["name"])).toEqual([]);
  });
});
