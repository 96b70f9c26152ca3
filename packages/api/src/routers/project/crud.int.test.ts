import { projectEvents, projects } from "@trellis/db";
import { TRPCError } from "@trpc/server";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../../../test/harness.js";
import { fieldErrorsOf } from "../../errors.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

async function eventsOf(id: string) {
  return h.db.db.select().from(projectEvents).where(eq(projectEvents.projectId, id)).orderBy(projectEvents.id);
}

async function caught(p: Promise<unknown>): Promise<TRPCError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCError) return e;
    throw e;
  }
  throw new Error("expected the call to fail");
}

describe("project CRUD", () => {
  it("creates, reads, updates, archives and restores with one event per change", async () => {
    const editor = h.as(h.users.editor);
    const created = await editor.project.create({
      name: "  Launch pad  ",
      tags: ["ops", "ops", "infra"],
      budgetCents: 12_345,
      dueDate: "2030-01-31",
    });
    expect(created).toMatchObject({
      name: "Launch pad",
      status: "planning",
      ownerId: h.users.editor.userId,
      ownerName: "Test editor",
      tags: ["ops", "infra"],
      budgetCents: 12_345,
      dueDate: "2030-01-31",
      archivedAt: null,
      version: 1,
    });
    expect(await editor.project.byId({ id: created.id })).toEqual(created);

    const updated = await editor.project.update({
      id: created.id,
      expectedVersion: 1,
      patch: { status: "active", description: "Now with a description" },
    });
    expect(updated).toMatchObject({ status: "active", description: "Now with a description", version: 2 });
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());

    const archived = await editor.project.archive({ id: created.id, expectedVersion: 2 });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    expect(archived.version).toBe(3);
    const restored = await editor.project.restore({ id: created.id, expectedVersion: 3 });
    expect(restored).toMatchObject({ archivedAt: null, version: 4 });

    const events = await eventsOf(created.id);
    expect(events.map((e) => [e.action, e.version])).toEqual([
      ["created", 1],
      ["updated", 2],
      ["archived", 3],
      ["restored", 4],
    ]);
    expect(events[1]!.changes).toEqual({
      status: { before: "planning", after: "active" },
      description: { before: "", after: "Now with a description" },
    });
    expect(events.every((e) => e.actorId === h.users.editor.userId)).toBe(true);

    const activity = await h.as(h.users.viewer).project.activity({ id: created.id });
    expect(activity.items.map((e) => e.action)).toEqual(["restored", "archived", "updated", "created"]);
    expect(activity.items[0]!.actorName).toBe("Test editor");
  });

  it("treats a patch that changes nothing as a no-op without a new version", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Same" });
    const again = await editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Same" } });
    expect(again.version).toBe(1);
    expect(await eventsOf(p.id)).toHaveLength(1);
  });

  it("rejects bad input with field paths and writes nothing", async () => {
    const editor = h.as(h.users.editor);
    const [before] = await h.db.db.select({ n: count() }).from(projects);
    const err = await caught(
      editor.project.create({
        name: " ",
        tags: ["x".repeat(33)],
        budgetCents: -1,
        dueDate: "2030-02-30",
        // @ts-expect-error unknown fields are rejected at runtime too
        colour: "red",
      }),
    );
    expect(err.code).toBe("BAD_REQUEST");
    const { fieldErrors } = fieldErrorsOf(err.cause as never);
    expect(Object.keys(fieldErrors!).sort()).toEqual(["budgetCents", "colour", "dueDate", "name", "tags.0"]);
    const [after] = await h.db.db.select({ n: count() }).from(projects);
    expect(after!.n).toBe(before!.n);
  });

  it("rejects an empty patch and an unknown owner as bad requests", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Owner test" });
    expect((await caught(editor.project.update({ id: p.id, expectedVersion: 1, patch: {} }))).code).toBe("BAD_REQUEST");
    const unknownOwner = await caught(
      editor.project.update({ id: p.id, expectedVersion: 1, patch: { ownerId: "00000000-0000-4000-8000-000000000000" } }),
    );
    expect(unknownOwner.code).toBe("BAD_REQUEST");
    expect(await eventsOf(p.id)).toHaveLength(1);
  });

  it("answers NOT_FOUND for an unknown id, even with a stale version", async () => {
    const editor = h.as(h.users.editor);
    const id = "11111111-1111-4111-8111-111111111111";
    expect((await caught(editor.project.byId({ id }))).code).toBe("NOT_FOUND");
    expect((await caught(editor.project.update({ id, expectedVersion: 99, patch: { name: "x" } }))).code).toBe("NOT_FOUND");
    expect((await caught(editor.project.archive({ id, expectedVersion: 1 }))).code).toBe("NOT_FOUND");
  });

  it("refuses to archive twice or restore a live project", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Twice" });
    await editor.project.archive({ id: p.id, expectedVersion: 1 });
    const again = await caught(editor.project.archive({ id: p.id, expectedVersion: 2 }));
    expect(again.code).toBe("CONFLICT");
    expect((again as { reason?: string }).reason).toBe("ALREADY_ARCHIVED");
    const live = await editor.project.create({ name: "Live" });
    expect((await caught(editor.project.restore({ id: live.id, expectedVersion: 1 }))).code).toBe("CONFLICT");
  });

  it("rolls the change back with its audit event when the event cannot be written", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Rollback" });
    // An actor that does not exist makes the event insert violate its foreign key.
    const ghost = h.as({ ...h.users.editor, userId: "22222222-2222-4222-8222-222222222222" });
    await expect(ghost.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Changed" } })).rejects.toThrow();
    const now = await editor.project.byId({ id: p.id });
    expect(now).toMatchObject({ name: "Rollback", version: 1 });
    expect(await eventsOf(p.id)).toHaveLength(1);
  });
});
