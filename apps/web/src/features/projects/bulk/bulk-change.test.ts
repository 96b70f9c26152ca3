import { describe, expect, it } from "vitest";
import { bulkIntentLabel, inverseChange } from "./bulk-change";

const id = "00000000-0000-4000-8000-000000000001";

describe("bulk changes", () => {
  it("undo archive by restore and back; a status change has no single inverse", () => {
    expect(inverseChange({ action: "archive" })).toEqual({ action: "restore" });
    expect(inverseChange({ action: "restore" })).toEqual({ action: "archive" });
    expect(inverseChange({ action: "setStatus", status: "active" })).toBeUndefined();
  });

  it("labels the intent with what it does to how many", () => {
    expect(bulkIntentLabel({ action: "archive" }, { ids: [{ id, expectedVersion: 1 }] })).toBe("Bulk archive — 1 project");
    expect(bulkIntentLabel({ action: "setStatus", status: "on_hold" }, { filter: { includeArchived: false } })).toBe(
      "Set status: On hold — all matching projects",
    );
  });
});
