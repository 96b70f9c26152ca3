import { describe, expect, it } from "vitest";
import { mergeTags, patchBetween, resolveMerge, threeWayMerge } from "./merge.js";
import type { ProjectSnapshot } from "./schemas.js";

const base: ProjectSnapshot = {
  name: "Apollo",
  description: "Start",
  status: "planning",
  ownerId: "00000000-0000-4000-8000-000000000001",
  tags: ["a", "b"],
  budgetCents: 100,
  dueDate: "2031-01-01",
};

describe("threeWayMerge", () => {
  it("takes each side's change when the fields are disjoint", () => {
    const mine = { ...base, name: "Apollo 2", budgetCents: 200 };
    const theirs = { ...base, status: "active" as const, dueDate: null };
    const r = threeWayMerge(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged).toEqual({ ...base, name: "Apollo 2", budgetCents: 200, status: "active", dueDate: null });
    expect(r.taken).toEqual({ name: "mine", budgetCents: "mine", status: "theirs", dueDate: "theirs" });
  });

  it("reports a field both sides changed differently, and agrees silently when they made the same change", () => {
    const mine = { ...base, name: "Mine", status: "active" as const };
    const theirs = { ...base, name: "Theirs", status: "active" as const };
    const r = threeWayMerge(base, mine, theirs);
    expect(r.conflicts).toEqual([{ field: "name", base: "Apollo", mine: "Mine", theirs: "Theirs" }]);
    expect(r.taken.status).toBe("both");
    expect(resolveMerge(r, { name: "mine" }).name).toBe("Mine");
    expect(resolveMerge(r, {}).name).toBe("Theirs");
  });

  it("merges tags as a set: both additions kept, either removal wins, never a conflict", () => {
    const mine = { ...base, tags: ["a", "b", "mine"] };
    const theirs = { ...base, tags: ["b", "theirs"] };
    const r = threeWayMerge(base, mine, theirs);
    expect(r.conflicts).toEqual([]);
    expect(r.merged.tags).toEqual(["b", "theirs", "mine"]);
    expect(mergeTags(["x"], ["x", "y"], ["x", "y"])).toEqual(["x", "y"]);
    expect(mergeTags(["x", "y"], [], ["x", "y", "z"])).toEqual(["z"]);
  });

  it("treats null and a value as different, and a change back to base as no change", () => {
    const mine = { ...base, budgetCents: null };
    const theirs = { ...base };
    expect(threeWayMerge(base, mine, theirs).merged.budgetCents).toBeNull();
    expect(threeWayMerge(base, { ...base }, { ...base }).taken).toEqual({});
  });
});

describe("patchBetween", () => {
  it("lists only the fields that differ", () => {
    expect(patchBetween(base, { ...base, tags: ["a"], name: "New" })).toEqual({ name: "New", tags: ["a"] });
    expect(patchBetween(base, base)).toEqual({});
  });
});
