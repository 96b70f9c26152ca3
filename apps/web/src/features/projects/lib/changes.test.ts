import type { Project } from "@trellis/api/schemas";
import { describe, expect, it } from "vitest";
import { actorsSince, joinNames, netChanges, projectDiff, whoChanged } from "./changes";

const project: Project = {
  id: "6f1c1b9e-3f4e-4d55-9a43-2d1a3f7d9b10",
  name: "Apollo",
  description: "",
  status: "planning",
  ownerId: "0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10",
  ownerName: "Eve",
  tags: ["a"],
  budgetCents: null,
  dueDate: null,
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-01T00:00:00Z"),
  archivedAt: null,
  version: 1,
};

describe("joinNames", () => {
  it("reads as a sentence", () => {
    expect(joinNames([])).toBe("");
    expect(joinNames(["Ann"])).toBe("Ann");
    expect(joinNames(["Ann", "Bo"])).toBe("Ann and Bo");
    expect(joinNames(["Ann", "Bo", "Cy"])).toBe("Ann, Bo and Cy");
  });
  it("says someone when nobody is known", () => {
    expect(whoChanged([])).toBe("Someone");
    expect(whoChanged(["Ann"])).toBe("Ann");
  });
});

describe("netChanges", () => {
  it("keeps each field's first before and last after", () => {
    expect(
      netChanges([
        { status: { before: "planning", after: "active" } },
        { status: { before: "active", after: "on_hold" }, name: { before: "A", after: "B" } },
      ]),
    ).toEqual({ status: { before: "planning", after: "on_hold" }, name: { before: "A", after: "B" } });
  });
  it("drops a field that was changed and changed back", () => {
    expect(netChanges([{ tags: { before: ["a"], after: ["a", "b"] } }, { tags: { before: ["a", "b"], after: ["a"] } }])).toEqual({});
  });
});

describe("projectDiff", () => {
  it("lists changed editable fields and the archive state, nothing else", () => {
    const after: Project = { ...project, status: "active", tags: ["a", "b"], version: 3, updatedAt: new Date(), archivedAt: new Date("2026-02-01T00:00:00Z") };
    expect(projectDiff(project, after)).toEqual({
      status: { before: "planning", after: "active" },
      tags: { before: ["a"], after: ["a", "b"] },
      archivedAt: { before: null, after: after.archivedAt },
    });
    expect(projectDiff(project, { ...project, version: 2 })).toEqual({});
  });
});

describe("actorsSince", () => {
  it("names who made the newer versions, once each, earliest first", () => {
    const history = [
      { version: 5, actorName: "Ann" },
      { version: 4, actorName: "Bo" },
      { version: 3, actorName: "Ann" },
      { version: 2, actorName: "Cy" },
    ];
    expect(actorsSince(history, 2)).toEqual(["Ann", "Bo"]);
    expect(actorsSince(history, 5)).toEqual([]);
    expect(actorsSince(history, 2, 3)).toEqual(["Ann"]);
  });
});
