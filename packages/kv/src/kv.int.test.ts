import { randomBytes } from "node:crypto";
import { loadConfig } from "@trellis/config";
import { describe, expect, it } from "vitest";
import { createMemoryKv } from "./memory.js";
import { createRedisKv } from "./redis.js";
import type { Kv } from "./types.js";

const { redisUrl } = loadConfig();

// The same contract for both implementations; Redis runs when REDIS_URL is set (CI sets it).
// `pair` gives two handles on one store: one process's (memory) or two clients of one Redis.
const impls: Array<[string, () => Kv, () => [Kv, Kv]]> = [
  [
    "memory",
    () => createMemoryKv(),
    () => {
      const kv = createMemoryKv();
      return [kv, kv];
    },
  ],
];
if (redisUrl) {
  const make = (prefix: string) => createRedisKv({ url: redisUrl, prefix });
  impls.push([
    "redis",
    () => make(`kvtest:${randomBytes(4).toString("hex")}:`),
    () => {
      const prefix = `kvtest:${randomBytes(4).toString("hex")}:`;
      return [make(prefix), make(prefix)];
    },
  ]);
}

it("redis kv rejects at once instead of queueing while Redis is unreachable", async () => {
  const dead = createRedisKv({ url: "redis://127.0.0.1:1" });
  await expect(dead.get("x")).rejects.toThrow(/enableOfflineQueue|writeable/);
  await expect(dead.ping()).rejects.toThrow();
  await dead.close();
});

describe.each(impls)("%s kv", (_name, make, pair) => {
  it("gets, sets, expires and deletes", async () => {
    const kv = make();
    await kv.ping();
    expect(await kv.get("a")).toBeNull();
    await kv.set("a", "1");
    expect(await kv.get("a")).toBe("1");
    await kv.set("b", "2", 30);
    await new Promise((r) => setTimeout(r, 60));
    expect(await kv.get("b")).toBeNull();
    await kv.del("a");
    expect(await kv.get("a")).toBeNull();
    await kv.close();
  });

  it("setIfAbsent lets exactly one caller win", async () => {
    const kv = make();
    await kv.ping();
    const wins = await Promise.all(Array.from({ length: 20 }, () => kv.setIfAbsent("lock", "x", 5_000)));
    expect(wins.filter(Boolean)).toHaveLength(1);
    await kv.close();
  });

  it("delivers published messages to every subscriber until it unsubscribes", async () => {
    const [a, b] = pair();
    await Promise.all([a.ping(), b.ping()]);
    const got: string[] = [];
    const unsubscribe = await b.subscribe("changes", (m) => got.push(m));
    const other: string[] = [];
    await b.subscribe("other", (m) => other.push(m));
    // Redis delivers asynchronously: publish until the subscription is live, then a marked message.
    for (let i = 0; i < 50 && got.length === 0; i++) {
      await a.publish("changes", "warm-up");
      await new Promise((r) => setTimeout(r, 20));
    }
    await a.publish("changes", "hello");
    await expect.poll(() => got.at(-1)).toBe("hello");
    expect(other).toEqual([]);
    await unsubscribe();
    await a.publish("changes", "after");
    await new Promise((r) => setTimeout(r, 100));
    expect(got).not.toContain("after");
    await a.close();
    if (b !== a) await b.close();
  });

  it("slots: at most max holders across clients, renewals keep a place, release and lease expiry free one", async () => {
    const [a, b] = pair();
    await Promise.all([a.ping(), b.ping()]);
    // Ten holders race for three places through two clients of one store.
    const holders = Array.from({ length: 10 }, (_, i) => `h${i}`);
    const won = await Promise.all(holders.map((h, i) => (i % 2 ? a : b).acquireSlot("streams", h, 3, 5_000)));
    const winners = holders.filter((_, i) => won[i]);
    expect(winners).toHaveLength(3);
    const [first, second] = winners as [string, string, string];
    // A holder renews its own place even when the set is full; a newcomer is refused.
    expect(await a.acquireSlot("streams", first, 3, 5_000)).toBe(true);
    expect(await b.acquireSlot("streams", "late", 3, 5_000)).toBe(false);
    await b.releaseSlot("streams", first);
    expect(await a.acquireSlot("streams", "late", 3, 5_000)).toBe(true);
    // Other sets are counted apart.
    expect(await a.acquireSlot("other", "x", 1, 5_000)).toBe(true);
    // A lease that is not renewed ends by itself (a crashed holder does not keep its place).
    expect(await a.acquireSlot("short", "crashed", 1, 50)).toBe(true);
    expect(await b.acquireSlot("short", "next", 1, 5_000)).toBe(false);
    await new Promise((r) => setTimeout(r, 120));
    expect(await b.acquireSlot("short", "next", 1, 5_000)).toBe(true);
    expect(second).not.toBe(first);
    await a.close();
    if (b !== a) await b.close();
  });
});
