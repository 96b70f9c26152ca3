import { describe, expect, it } from "vitest";
import { cacheTargetsFor, type ProjectChangeEvent, remoteChangeSummary } from "./live-changes";

const P = "6f1c1b9e-3f4e-4d55-9a43-2d1a3f7d9b10";
const OTHER = "7a2d2c0f-4f5f-4e66-8b54-3e2b4a8e0c21";

function change(version: number, over: Partial<ProjectChangeEvent> = {}): ProjectChangeEvent {
  return {
    eventId: 100 + version,
    projectId: P,
    action: "updated",
    version,
    actorId: "0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10",
    actorName: "Eve Editor",
    changes: {},
    createdAt: new Date(`2026-01-0${version}T00:00:00Z`),
    ...over,
  };
}

describe("cacheTargetsFor", () => {
  const views = [
    { path: "project.activity", id: P },
    { path: "project.history", id: P },
    { path: "project.list" },
    { path: "project.stats" },
  ];

  it("refetches the project when the cached copy is older than the change", () => {
    expect(cacheTargetsFor({ projectId: P, version: 3 }, 2)).toEqual([{ path: "project.byId", id: P }, ...views]);
  });

  it("leaves a cached copy that already has the change (our own write), but refreshes views and lists", () => {
    expect(cacheTargetsFor({ projectId: P, version: 3 }, 3)).toEqual(views);
    expect(cacheTargetsFor({ projectId: P, version: 3 }, 4)).toEqual(views);
  });

  it("fetches nothing for a project no page has loaded", () => {
    expect(cacheTargetsFor({ projectId: P, version: 1 }, undefined)).toEqual(views);
  });

  it("names only the changed project", () => {
    const ids = cacheTargetsFor({ projectId: OTHER, version: 2 }, 1).flatMap((t) => ("id" in t ? [t.id] : []));
    expect(new Set(ids)).toEqual(new Set([OTHER]));
  });
});

describe("remoteChangeSummary", () => {
  it("is null when nothing newer than the base arrived for this project", () => {
    expect(remoteChangeSummary([], P, 1)).toBeNull();
    expect(remoteChangeSummary([change(1), change(2, { projectId: OTHER })], P, 1)).toBeNull();
  });

  it("says who changed what since the base version, and the newest version", () => {
    const events = [
      change(3, { actorName: "Ann", changes: { name: { before: "A", after: "B" } } }),
      change(2, { actorName: "Eve Editor", changes: { status: { before: "planning", after: "active" } } }),
      change(4, { actorName: "Eve Editor", changes: { status: { before: "active", after: "on_hold" } } }),
      change(1, { action: "created" }),
    ];
    expect(remoteChangeSummary(events, P, 1)).toEqual({
      actorNames: ["Eve Editor", "Ann"],
      version: 4,
      changes: { status: { before: "planning", after: "on_hold" }, name: { before: "A", after: "B" } },
      at: new Date("2026-01-04T00:00:00Z"),
    });
    expect(remoteChangeSummary(events, P, 3)?.actorNames).toEqual(["Eve Editor"]);
  });
});
