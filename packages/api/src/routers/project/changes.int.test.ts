import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../../../test/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h?.close());

type Tracked<T> = { id: string; data: T };

/** Reads `n` items from a subscription (server-side callers see tracked() tuples), then stops it. */
async function take<T>(iterable: AsyncIterable<unknown>, n: number, controller: AbortController): Promise<Tracked<T>[]> {
  const out: Tracked<T>[] = [];
  for await (const item of iterable) {
    const [id, data] = item as [string, T & { type: string }];
    if (data.type === "ready") continue;
    out.push({ id, data });
    if (out.length === n) break;
  }
  controller.abort();
  return out;
}

describe("project.changes", () => {
  it("streams changes after subscribing, in commit order, tracked by event id", async () => {
    const editor = h.as(h.users.editor);
    const controller = new AbortController();
    const stream = await h.as(h.users.viewer, { signal: controller.signal }).project.changes({});
    const reading = take<{ action: string; version: number; actorName: string; projectId: string }>(stream, 3, controller);
    const p = await editor.project.create({ name: "Live" });
    await editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Live 2" } });
    await editor.project.archive({ id: p.id, expectedVersion: 2 });
    const events = await reading;
    expect(events.map((e) => [e.data.action, e.data.version])).toEqual([
      ["created", 1],
      ["updated", 2],
      ["archived", 3],
    ]);
    expect(events.every((e) => e.data.projectId === p.id && e.data.actorName === "Test editor")).toBe(true);
    const ids = events.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it("resumes after a last event id with exactly what was missed", async () => {
    const editor = h.as(h.users.editor);
    const p = await editor.project.create({ name: "Resume" });
    const activity = await editor.project.activity({ id: p.id });
    const lastSeen = String(activity.items[0]!.id);
    await editor.project.update({ id: p.id, expectedVersion: 1, patch: { name: "Missed 1" } });
    await editor.project.update({ id: p.id, expectedVersion: 2, patch: { name: "Missed 2" } });
    const controller = new AbortController();
    const stream = await h.as(h.users.viewer, { signal: controller.signal }).project.changes({ lastEventId: lastSeen });
    const events = await take<{ version: number; changes: Record<string, { after: unknown }> }>(stream, 2, controller);
    expect(events.map((e) => e.data.version)).toEqual([2, 3]);
    expect(events[1]!.data.changes.name!.after).toBe("Missed 2");
  });
});
