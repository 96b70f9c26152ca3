import { Redis } from "ioredis";
import { redisRateLimiters } from "./rate-limit.js";
import { redisSlots } from "./slots.js";
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
  // A connection in subscriber mode can do nothing else, so pub/sub gets its own, opened on first use.
  // It keeps retrying forever: subscriptions resume by themselves when Redis comes back.
  let subscriber: Redis | undefined;
  const handlers = new Map<string, Set<(message: string) => void>>();
  const subscriberConnection = () => {
    if (!subscriber) {
      subscriber = new Redis(url, { connectTimeout: 2_000, maxRetriesPerRequest: null });
      subscriber.on("error", () => {});
      subscriber.on("message", (channel: string, message: string) => {
        for (const h of handlers.get(channel) ?? []) h(message);
      });
    }
    return subscriber;
  };
  // keyPrefix does not apply to channels; prefix them the same way so apps sharing Redis stay apart.
  const channelOf = (name: string) => `${prefix}${name}`;
  const rateLimiter = redisRateLimiters(redis);
  return {
    kind: "redis",
    ...redisSlots(redis),
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
    async publish(channel, message) {
      await redis.publish(channelOf(channel), message);
    },
    async subscribe(channel, onMessage) {
      const name = channelOf(channel);
      const set = handlers.get(name) ?? new Set();
      const first = set.size === 0;
      set.add(onMessage);
      handlers.set(name, set);
      if (first) await subscriberConnection().subscribe(name);
      return async () => {
        set.delete(onMessage);
        if (set.size === 0) {
          handlers.delete(name);
          await subscriber?.unsubscribe(name).catch(() => {});
        }
      };
    },
    rateLimiter,
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
      subscriber?.disconnect();
    },
  };
}
