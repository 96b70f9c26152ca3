import { randomUUID } from "node:crypto";
import { type Peer, startPeer, startTestServer, type TestServer } from "@trellis/server/testing";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTrellisClient } from "./index.js";

// Instance A from the fixture; B is a peer sharing its database and its fan-out (Redis, or the
// in-process bus in embedded mode).
let a: TestServer;
let b: Peer;
let bUrl: string;
let token: string;

beforeAll(async () => {
  a = await startTestServer();
  b = await startPeer(a);
  bUrl = b.url;
  token = await a.tokenFor("editor");
});

afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** Subscribes on `url` and collects events until `stop` is called. */
function watch(url: string, lastEventId?: string) {
  const client = createTrellisClient({ url, token });
  const events: Array<{ id: string; data: { action: string; version: number; projectId: string; actorName: string } }> = [];
  let started!: () => void;
  const ready = new Promise<void>((r) => (started = r));
  const sub = client.project.changes.subscribe(lastEventId ? { lastEventId } : {}, {
    onData: (e) => {
      if (e.data.type === "ready") started();
      else events.push({ id: e.id, data: e.data });
    },
  });
  return { events, ready, stop: () => sub.unsubscribe() };
}

describe("live updates across instances", () => {
  it("delivers a change made on instance A to a subscriber on instance B, in order", async () => {
    const watcher = watch(bUrl);
    onTestFinished(() => watcher.stop());
    await watcher.ready;
    const writer = createTrellisClient({ url: a.url, token });
    const p = await writer.project.create.mutate({ name: `Live ${randomUUID()}` });
    await writer.project.update.mutate({ id: p.id, expectedVersion: 1, patch: { status: "active" } });
    await writer.project.archive.mutate({ id: p.id, expectedVersion: 2 });
    await expect.poll(() => watcher.events.filter((e) => e.data.projectId === p.id).length, { timeout: 15_000 }).toBe(3);
    watcher.stop();
    const mine = watcher.events.filter((e) => e.data.projectId === p.id);
    expect(mine.map((e) => [e.data.action, e.data.version])).toEqual([
      ["created", 1],
      ["updated", 2],
      ["archived", 3],
    ]);
    expect(mine[0]!.data.actorName).toBe("Test editor");
  });

  it("resumes from the last event id after a reconnect with exactly what was missed", async () => {
    const writer = createTrellisClient({ url: a.url, token });
    const first = watch(bUrl);
    await first.ready;
    // Stopped in every case, so the server can shut down.
    onTestFinished(() => first.stop());
    const p = await writer.project.create.mutate({ name: `Resume ${randomUUID()}` });
    await expect.poll(() => first.events.some((e) => e.data.projectId === p.id), { timeout: 15_000 }).toBe(true);
    first.stop();
    const lastSeen = first.events.at(-1)!.id;

    await writer.project.update.mutate({ id: p.id, expectedVersion: 1, patch: { name: "missed one" } });
    await writer.project.update.mutate({ id: p.id, expectedVersion: 2, patch: { name: "missed two" } });

    const second = watch(bUrl, lastSeen);
    onTestFinished(() => second.stop());
    await expect.poll(() => second.events.filter((e) => e.data.projectId === p.id).length, { timeout: 15_000 }).toBe(2);
    second.stop();
    expect(second.events.map((e) => e.data.version)).toEqual([2, 3]);
    expect(Number(second.events[0]!.id)).toBeGreaterThan(Number(lastSeen));
  });

  it("ends open streams when a server stops, so shutdown does not hang", async () => {
    const c = await startPeer(a);
    const cUrl = c.url;
    const watcher = watch(cUrl);
    onTestFinished(() => watcher.stop());
    await watcher.ready;
    await c.close();
    const afterStop = await fetch(`${cUrl}/health`).then(
      () => "answered",
      () => "refused",
    );
    expect(afterStop).toBe("refused");
  });
});
