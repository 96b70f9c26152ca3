import type { Project } from "@trellis/api/schemas";
import { describe, expect, it } from "vitest";
import { applyPatch, buildMergeView, mergedSave, projectSnapshot } from "./merge-view";

const EVE = "0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10";
const BO = "1c8d2e8f-9b5b-4d66-8a54-3e2b4a8e0c21";

const base: Project = {
  id: "6f1c1b9e-3f4e-4d55-9a43-2d1a3f7d9b10",
  name: "Apollo",
  description: "Move it",
  status: "planning",
  ownerId: EVE,
  ownerName: "Eve",
  tags: ["backend", "q3"],
  budgetCents: 1000,
  dueDate: "2026-05-01",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-01T00:00:00Z"),
  archivedAt: null,
  version: 1,
};

describe("applyPatch / projectSnapshot", () => {
  it("turns a form patch into full field values", () => {
    expect(applyPatch(base, { name: "Apollo 2", dueDate: null })).toEqual({
      ...projectSnapshot(base),
      name: "Apollo 2",
      dueDate: null,
    });
    expect(Object.keys(projectSnapshot(base)).sort()).toEqual(
      ["budgetCents", "description", "dueDate", "name", "ownerId", "status", "tags"],
    );
  });
});

describe("buildMergeView", () => {
  // They (v2) changed status, owner and tags; I changed name, status (differently), budget and tags.
  const theirs: Project = { ...base, status: "active", ownerId: BO, ownerName: "Bo", tags: ["backend", "q3", "urgent"], version: 2 };
  const mine = applyPatch(base, { name: "Apollo (mine)", status: "on_hold", budgetCents: 2000, tags: ["backend"] });
  const view = buildMergeView(base, mine, theirs);
  const outcome = Object.fromEntries(view.rows.map((r) => [r.field, r.outcome]));

  it("takes fields only one side changed, and says which", () => {
    expect(outcome).toMatchObject({ name: "mine", budgetCents: "mine", ownerId: "theirs", description: "unchanged", dueDate: "unchanged" });
    expect(view.rows.find((r) => r.field === "name")?.merged).toBe("Apollo (mine)");
    expect(view.rows.find((r) => r.field === "ownerId")?.merged).toBe(BO);
  });

  it("merges tags as a set (my removal and their addition both kept)", () => {
    expect(outcome.tags).toBe("tags");
    expect(view.rows.find((r) => r.field === "tags")?.merged).toEqual(["backend", "urgent"]);
  });

  it("asks only where both changed a field differently", () => {
    expect(view.conflicts).toEqual(["status"]);
    expect(view.rows.find((r) => r.field === "status")).toMatchObject({ base: "planning", mine: "on_hold", theirs: "active", outcome: "conflict" });
  });

  it("tells the same change on both sides apart from a merge", () => {
    const same = buildMergeView(base, applyPatch(base, { status: "active" }), { ...base, status: "active", version: 2 });
    expect(same.rows.find((r) => r.field === "status")?.outcome).toBe("same");
    expect(same.conflicts).toEqual([]);
  });

  describe("mergedSave", () => {
    it("waits until every conflict is decided", () => {
      expect(mergedSave(view, {})).toEqual({ ok: false, undecided: ["status"] });
    });

    it("patches theirs with my side and the choices, against their version", () => {
      expect(mergedSave(view, { status: "theirs" })).toEqual({
        ok: true,
        resolved: { ...projectSnapshot(theirs), name: "Apollo (mine)", budgetCents: 2000, tags: ["backend", "urgent"] },
        patch: { name: "Apollo (mine)", budgetCents: 2000, tags: ["backend", "urgent"] },
        expectedVersion: 2,
      });
      const mineWins = mergedSave(view, { status: "mine" });
      expect(mineWins.ok && mineWins.patch.status).toBe("on_hold");
    });

    it("has nothing to send when theirs already is the result", () => {
      const nothing = buildMergeView(base, applyPatch(base, { status: "active" }), { ...base, status: "active", version: 2 });
      expect(mergedSave(nothing, {})).toMatchObject({ ok: true, patch: {} });
    });
  });
});
