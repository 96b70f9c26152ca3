import { randomUUID } from "node:crypto";
import { loadConfig } from "@trellis/config";
import { createDb, type DbHandle } from "@trellis/db";
import { createServer, type TrellisServer } from "@trellis/server";
import { startTestServer, type TestServer } from "@trellis/server/testing";
import { createKv, type Kv } from "@trellis/kv";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { createTrellisClient } from "./index.js";

// Instance A from the fixture; instance B shares its database and its fan-out: the same Redis
// (another client, same prefix) when REDIS_URL is set, the same in-process bus otherwise.
let a: TestServer;
let b: TrellisServer;
let bUrl: string;
let bDb: DbHandle | undefined;
let bKv: Kv | undefined;
let token: string;

beforeAll(async () => {
  a = await startTestServer();
  const { redisUrl } = loadConfig();
  bDb = a.db.url ? await createDb({ kind: "postgres", url: a.db.url }) : undefined;
  bKv = redisUrl ? createKv({ redisUrl, prefix: a.kvPrefix }) : undefined;
  b = await createServer({ config: { ...a.server.config, port: 0 }, db: bDb ?? a.db, kv: bKv ?? a.kv, sessions: a.server.sessions });
  bUrl = await b.start();
  token = await a.tokenFor("editor");
});

afterAll(async () => {
  await b?.stop();
  await bKv?.close();
  await bDb?.close();
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
    const c = await createServer({ config: { ...a.server.config, port: 0 }, db: bDb ?? a.db, kv: bKv ?? a.kv, sessions: a.server.sessions });
    const cUrl = await c.start();
    const watcher = watch(cUrl);
    onTestFinished(() => watcher.stop());
    await watcher.ready;
    await c.stop();
    const afterStop = await fetch(`${cUrl}/health`).then(
      () => "answered",
      () => "refused",
    );
    expect(afterStop).toBe("refused");
  });
});
