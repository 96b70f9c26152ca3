import { Redis } from "ioredis";
import type { Kv } from "./types.js";

export interface RedisKvOptions {
  url: string;
  /** Prefix for every key, so several apps or test files can share one Redis. */
  prefix?: string;
}

export function createRedisKv({ url, prefix = "trellis:" }: RedisKvOptions): Kv {
  const redis = new Redis(url, {
    keyPrefix: prefix,
    // Fail commands fast while disconnected instead of queueing them forever:
    // Redis is a fast path, and callers fall back to Postgres.
    maxRetriesPerRequest: 1,
    commandTimeout: 1_000,
    connectTimeout: 2_000,
  });
  // Without a listener ioredis reports connection errors as unhandled; readiness reports them instead.
  redis.on("error", () => {});
  return {
    kind: "redis",
    async get(key) {
      return redis.get(key);
    },
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await redis.set(key, value);
      else await redis.set(key, value, "PX", ttlMs);
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await redis.set(key, value, "PX", ttlMs, "NX")) === "OK";
    },
    async del(key) {
      await redis.del(key);
    },
    async incr(key, windowMs) {
      const [[, n] = []] =
        (await redis.multi().incr(key).pexpire(key, windowMs, "NX").exec()) ?? [];
      return Number(n);
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
