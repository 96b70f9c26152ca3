import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness } from "../../../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

describe("history and revert", () => {
  it("lists every version with who changed what and the full state it had", async () => {
    const editor = h.as(h.users.editor);
    const admin = h.as(h.users.admin);
    const p = await editor.project.create({ name: "History", tags: ["a"], budgetCents: 10 });
    await admin.project.update({ id: p.id, expectedVersion: 1, patch: { name: "History 2", tags: ["a", "b"] } });
    await editor.project.archive({ id: p.id, expectedVersion: 2 });
    const history = await h.as(h.users.viewer).project.history({ id: p.id });
    expect(history.map((v) => [v.version, v.action, v.actorName])).toEqual([
      [3, "archived", "Test editor"],
      [2, "updated", "Test admin"],
      [1, "created", "Test editor"],
    ]);
    expect(history[1]!.changedFields.sort()).toEqual(["name", "tags"]);
    expect(history[2]!.snapshot).toMatchObject({ name: "History", tags: ["a"], budgetCents: 10, status: "planning" });
    expect(history[1]!.snapshot).toMatchObject({ name: "History 2", tags: ["a", "b"], budgetCents: 10 });
  });

  it("reverts to an earlier version as a new, audited version", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Revert me", status: "active", dueDate: "2031-01-01" });
    await editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Changed", status: "on_hold", dueDate: null } });
    await editor.project.update({ id: p.id, expectedVersion: 2, patch: { description: "More" } });
    const reverted = await editor.project.revert({ id: p.id, toVersion: 1, expectedVersion: 3 });
    expect(reverted).toMatchObject({ name: "Revert me", status: "active", dueDate: "2031-01-01", description: "", version: 4 });
    const [latest] = await editor.project.history({ id: p.id });
    expect(latest).toMatchObject({ version: 4, action: "reverted" });
    expect(latest!.changes).toMatchObject({ name: { before: "Changed", after: "Revert me" }, description: { before: "More", after: "" } });
  });

  it("refuses a stale revert and versions that are not earlier", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Stale revert" });
    await editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "v2" } });
    expect((await caught(editor.project.revert({ id: p.id, toVersion: 1, expectedVersion: 1 }))).code).toBe("CONFLICT");
    expect((await caught(editor.project.revert({ id: p.id, toVersion: 2, expectedVersion: 2 }))).code).toBe("BAD_REQUEST");
    expect((await caught(editor.project.revert({ id: p.id, toVersion: 9, expectedVersion: 2 }))).code).toBe("BAD_REQUEST");
    expect((await editor.project.byId({ id: p.id })).version).toBe(2);
  });
});
