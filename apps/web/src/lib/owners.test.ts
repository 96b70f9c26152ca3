import { describe, expect, it } from "vitest";
import { mergeOwners, sortedOwners } from "./owners";

describe("mergeOwners", () => {
  it("adds new owners and keeps identity when nothing changed", () => {
    const empty = new Map<string, string>();
    const one = mergeOwners(empty, [{ ownerId: "b", ownerName: "Zed" }, { ownerId: "a", ownerName: "Amy" }]);
    expect(sortedOwners(one)).toEqual([{ id: "a", name: "Amy" }, { id: "b", name: "Zed" }]);
    expect(mergeOwners(one, [{ ownerId: "a", ownerName: "Amy" }])).toBe(one);
    expect(empty.size).toBe(0);
  });
});
