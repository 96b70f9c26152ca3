import { createMemoryKv } from "./memory.js";
import { createRedisKv } from "./redis.js";
import type { Kv } from "./types.js";

/** Redis when a URL is configured, in-memory otherwise (embedded mode). */
export function createKv(opts: { redisUrl: string | undefined; prefix?: string }): Kv {
  return opts.redisUrl ? createRedisKv({ url: opts.redisUrl, prefix: opts.prefix }) : createMemoryKv();
}
