import { projectEvents } from "@trellis/db";
import { TRPCError } from "@trpc/server";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caught, createHarness, type Harness } from "../../../test/harness.js";
import { errorData } from "../../errors.js";
import type { Project } from "./schemas.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

async function eventsOf(id: string) {
  return h.db.db.select().from(projectEvents).where(eq(projectEvents.projectId, id)).orderBy(asc(projectEvents.id));
}

type Conflict = TRPCError & { reason?: string; details?: { currentVersion?: number; current?: Project } };

function rejections(results: PromiseSettledResult<unknown>[]): Conflict[] {
  return results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as Conflict);
}

describe("optimistic versioning", () => {
  it("rejects a stale expectedVersion with the current project and changes nothing", async () => {
    const editor = h.as(h.users.editor);
    const admin = h.as(h.users.admin);
    const p = await editor.project.create({ name: "Stale base", tags: ["a"], budgetCents: 100 });
    await admin.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Theirs", budgetCents: 200 } });
    const current = await editor.project.byId({ id: p.id });
    const eventsBefore = await eventsOf(p.id);

    const stale: Array<[string, () => Promise<unknown>]> = [
      ["update", () => editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Mine" } })],
      ["update from the future", () => editor.project.update({ id: p.id, expectedVersion: 3, patch: { name: "Mine" } })],
      ["archive", () => editor.project.archive({ id: p.id, expectedVersion: 1 })],
    ];
    for (const [label, call] of stale) {
      const err = (await caught(call())) as Conflict;
      expect({ label, code: err.code, reason: err.reason }).toEqual({ label, code: "CONFLICT", reason: "VERSION_CONFLICT" });
      expect(err.details?.currentVersion).toBe(2);
      expect(err.details?.current).toEqual(current);
      // What the client receives on the wire carries the same details.
      const data = errorData(err, "req-1");
      expect(data).toMatchObject({ reason: "VERSION_CONFLICT", currentVersion: 2, requestId: "req-1" });
      expect(data.current).toEqual(current);
    }

    expect(await editor.project.byId({ id: p.id })).toEqual(current);
    expect(await eventsOf(p.id)).toEqual(eventsBefore);
  });

  it("rejects a stale restore and leaves the project archived", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Stale restore" });
    await editor.project.archive({ id: p.id, expectedVersion: 1 });
    await editor.project.update({ id: p.id, expectedVersion: 2, patch: { description: "edited while archived" } });
    const current = await editor.project.byId({ id: p.id });

    const err = (await caught(editor.project.restore({ id: p.id, expectedVersion: 2 }))) as Conflict;
    expect(err.code).toBe("CONFLICT");
    expect(err.reason).toBe("VERSION_CONFLICT");
    expect(err.details?.currentVersion).toBe(3);
    expect(err.details?.current).toEqual(current);
    expect(await editor.project.byId({ id: p.id })).toEqual(current);
    expect(current.archivedAt).toBeInstanceOf(Date);
  });

  it("lets exactly one of 20 concurrent updates at the same version win", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Race update", description: "base" });
    const callers = Array.from({ length: 20 }, (_, i) => h.as(i % 2 ? h.users.editor : h.users.admin));

    const results = await Promise.allSettled(
      callers.map((caller, i) =>
        caller.project.update({
          id: p.id,
          expectedVersion: 1,
          // Each writer changes a different field value, so none is a no-op.
          patch: i % 3 === 0 ? { name: `Race update ${i}` } : i % 3 === 1 ? { description: `writer ${i}` } : { budgetCents: 1_000 + i },
        }),
      ),
    );

    const fulfilled = results.filter((r): r is PromiseFulfilledResult<Project> => r.status === "fulfilled");
    const conflicts = rejections(results);
    expect(fulfilled).toHaveLength(1);
    expect(conflicts).toHaveLength(19);

    const final = await editor.project.byId({ id: p.id });
    expect(final.version).toBe(2);
    expect(fulfilled[0]!.value).toEqual(final);
    for (const err of conflicts) {
      expect(err).toBeInstanceOf(TRPCError);
      expect({ code: err.code, reason: err.reason }).toEqual({ code: "CONFLICT", reason: "VERSION_CONFLICT" });
      expect(err.details?.currentVersion).toBe(2);
      expect(err.details?.current).toEqual(final);
    }

    const events = await eventsOf(p.id);
    expect(events.map((e) => [e.action, e.version])).toEqual([
      ["created", 1],
      ["updated", 2],
    ]);
    // The one event describes the winning write, and the row shows only that write.
    const winner = fulfilled[0]!.value;
    const changed = Object.keys(events[1]!.changes);
    expect(changed).toHaveLength(1);
    expect(events[1]!.changes[changed[0]!]!.after).toEqual(winner[changed[0] as keyof Project]);
    const untouched = { name: "Race update", description: "base", budgetCents: null } as Record<string, unknown>;
    delete untouched[changed[0]!];
    expect(final).toMatchObject(untouched);
  });

  it("lets exactly one of 10 concurrent archives at the same version win", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Race archive" });
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => h.as(i % 2 ? h.users.admin : h.users.editor).project.archive({ id: p.id, expectedVersion: 1 })),
    );

    const fulfilled = results.filter((r): r is PromiseFulfilledResult<Project> => r.status === "fulfilled");
    const conflicts = rejections(results);
    expect(fulfilled).toHaveLength(1);
    expect(conflicts).toHaveLength(9);
    const final = await editor.project.byId({ id: p.id });
    expect(final.version).toBe(2);
    expect(final.archivedAt).toBeInstanceOf(Date);
    expect(fulfilled[0]!.value).toEqual(final);
    for (const err of conflicts) {
      expect({ code: err.code, reason: err.reason }).toEqual({ code: "CONFLICT", reason: "VERSION_CONFLICT" });
      expect(err.details?.currentVersion).toBe(2);
      expect(err.details?.current).toEqual(final);
    }
    expect((await eventsOf(p.id)).map((e) => [e.action, e.version])).toEqual([
      ["created", 1],
      ["archived", 2],
    ]);
  });

  it("loses no update when 10 clients read-modify-write with retry on conflict", async () => {
    const creator = h.as(h.users.editor);
    const p = await creator.project.create({ name: "Tag collector", tags: ["base"] });
    const N = 10;
    let conflictsSeen = 0;

    async function appendTag(client: number) {
      const caller = h.as(client % 2 ? h.users.admin : h.users.editor);
      const tag = `client-${client}`;
      for (let attempt = 0; attempt < 100; attempt++) {
        const current = await caller.project.byId({ id: p.id });
        // Give the other clients a turn between our read and our write.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          return await caller.project.update({ id: p.id, expectedVersion: current.version, patch: { tags: [...current.tags, tag] } });
        } catch (e) {
          if (e instanceof TRPCError && (e as Conflict).reason === "VERSION_CONFLICT") {
            conflictsSeen++;
            continue;
          }
          throw e;
        }
      }
      throw new Error(`client ${client} never got its write in`);
    }

    await Promise.all(Array.from({ length: N }, (_, i) => appendTag(i)));

    const final = await creator.project.byId({ id: p.id });
    expect([...final.tags].sort()).toEqual(["base", ...Array.from({ length: N }, (_, i) => `client-${i}`)].sort());
    expect(final.version).toBe(1 + N);
    // The clients really did collide, so the retry path was exercised.
    expect(conflictsSeen).toBeGreaterThan(0);

    const events = await eventsOf(p.id);
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: N + 1 }, (_, i) => i + 1));
    // Each update event adds exactly one tag to what the previous version had.
    for (const e of events.slice(1)) {
      const { before, after } = e.changes.tags as { before: string[]; after: string[] };
      expect(after.slice(0, -1)).toEqual(before);
      expect(after).toHaveLength(before.length + 1);
    }
  });
});
