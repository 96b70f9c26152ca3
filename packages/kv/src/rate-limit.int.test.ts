import { randomBytes } from "node:crypto";
import { loadConfig } from "@trellis/config";
import { describe, expect, it } from "vitest";
import { createMemoryKv } from "./memory.js";
import { createRedisKv } from "./redis.js";
import type { Kv } from "./types.js";

const { redisUrl } = loadConfig();

// The same contract for both stores. `pair` gives two handles on one store: one process's
// (memory) or two clients of one Redis, as two server instances would have.
const impls: Array<[string, () => [Kv, Kv]]> = [
  [
    "memory",
    () => {
      const kv = createMemoryKv();
      return [kv, kv];
    },
  ],
];
if (redisUrl) {
  impls.push([
    "redis",
    () => {
      const prefix = `rltest:${randomBytes(4).toString("hex")}:`;
      return [createRedisKv({ url: redisUrl, prefix }), createRedisKv({ url: redisUrl, prefix })];
    },
  ]);
}

async function withPair(make: () => [Kv, Kv], run: (a: Kv, b: Kv) => Promise<void>) {
  const [a, b] = make();
  try {
    await Promise.all([a.ping(), b.ping()]);
    await run(a, b);
  } finally {
    await a.close();
    if (b !== a) await b.close();
  }
}

describe.each(impls)("%s rate limiter", (_name, make) => {
  it("grants points up to the limit, then refuses with the time until the window resets", async () => {
    await withPair(make, async (kv) => {
      const limiter = kv.rateLimiter({ name: "t", points: 5, durationSeconds: 60 });
      const first = await limiter.consume("u1", 2);
      expect(first).toMatchObject({ allowed: true, limit: 5, remaining: 3, consumed: 2 });
      expect(first.resetMs).toBeGreaterThan(0);
      expect(first.resetMs).toBeLessThanOrEqual(60_000);
      expect(await limiter.consume("u1", 3)).toMatchObject({ allowed: true, remaining: 0, consumed: 5 });
      const refused = await limiter.consume("u1", 1);
      expect(refused).toMatchObject({ allowed: false, remaining: 0, consumed: 6 });
      expect(refused.resetMs).toBeGreaterThan(0);
      // Another key has its own budget.
      expect(await limiter.consume("u2", 5)).toMatchObject({ allowed: true, remaining: 0 });
    });
  });

  it("keeps limiters with different names apart, and returns the same limiter for the same options", async () => {
    await withPair(make, async (kv) => {
      const a = kv.rateLimiter({ name: "a", points: 1, durationSeconds: 60 });
      const b = kv.rateLimiter({ name: "b", points: 1, durationSeconds: 60 });
      expect(kv.rateLimiter({ name: "a", points: 1, durationSeconds: 60 })).toBe(a);
      expect((await a.consume("k")).allowed).toBe(true);
      expect((await b.consume("k")).allowed).toBe(true);
      expect((await a.consume("k")).allowed).toBe(false);
    });
  });

  it("peeks without consuming, blocks a key for a while and forgets it on reset", async () => {
    await withPair(make, async (kv) => {
      const limiter = kv.rateLimiter({ name: "p", points: 3, durationSeconds: 60 });
      expect(await limiter.peek("k")).toBeNull();
      await limiter.consume("k");
      expect(await limiter.peek("k")).toMatchObject({ allowed: true, consumed: 1, remaining: 2 });
      expect(await limiter.peek("k")).toMatchObject({ consumed: 1 });

      await limiter.block("k", 30);
      const blocked = await limiter.peek("k");
      expect(blocked).toMatchObject({ allowed: false, remaining: 0 });
      expect(blocked!.resetMs).toBeGreaterThan(0);
      expect(blocked!.resetMs).toBeLessThanOrEqual(30_000);
      expect((await limiter.consume("k")).allowed).toBe(false);

      await limiter.reset("k");
      expect(await limiter.peek("k")).toBeNull();
      expect((await limiter.consume("k")).allowed).toBe(true);
    });
  });

  it("starts a fresh window once the old one has passed", async () => {
    await withPair(make, async (kv) => {
      const limiter = kv.rateLimiter({ name: "w", points: 1, durationSeconds: 1 });
      expect((await limiter.consume("k")).allowed).toBe(true);
      expect((await limiter.consume("k")).allowed).toBe(false);
      await expect.poll(async () => (await limiter.peek("k")) === null, { timeout: 5_000, interval: 100 }).toBe(true);
      expect(await limiter.consume("k")).toMatchObject({ allowed: true, consumed: 1 });
    });
  });

  it("shares one counter between two handles on the same store (two instances)", async () => {
    await withPair(make, async (a, b) => {
      const options = { name: "shared", points: 10, durationSeconds: 60 };
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).rateLimiter(options).consume("user")),
      );
      expect(results.filter((r) => r.allowed)).toHaveLength(10);
      expect((await b.rateLimiter(options).peek("user"))?.consumed).toBe(30);
    });
  });
});

describe("redis rate limiter while Redis is unreachable", () => {
  it("falls back to counting in process memory instead of failing or letting everything through", async () => {
    // Nothing listens on port 1: every command fails at once, so the insurance limiter answers.
    const kv = createRedisKv({ url: "redis://127.0.0.1:1" });
    try {
      const limiter = kv.rateLimiter({ name: "down", points: 3, durationSeconds: 60 });
      const results = await Promise.all(Array.from({ length: 5 }, () => limiter.consume("user")));
      expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
      expect(await limiter.peek("user")).toMatchObject({ consumed: 5, allowed: false });
      await limiter.block("other", 30);
      expect((await limiter.consume("other")).allowed).toBe(false);
      await limiter.reset("user");
      expect((await limiter.consume("user")).allowed).toBe(true);
    } finally {
      await kv.close();
    }
  });
});
