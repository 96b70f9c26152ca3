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
    // Fail commands at once while disconnected instead of queueing them: Redis is a fast
    // path, and callers fall back to Postgres rather than wait on a dead connection.
    enableOfflineQueue: false,
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
      // The one call that waits for a connection: readiness checks and tests start with it.
      if (redis.status === "connecting" || redis.status === "connect" || redis.status === "reconnecting") {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error("Redis did not become ready in 2 s")), 2_000);
          redis.once("ready", () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
