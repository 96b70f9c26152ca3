export type { Kv } from "./types.js";
export { createMemoryKv } from "./memory.js";
export { createRedisKv, type RedisKvOptions } from "./redis.js";
export { createKv } from "./create.js";
export type { RateLimiter, RateLimiterOptions, RateLimitState } from "./rate-limit.js";
export { memorySlots, type Slots } from "./slots.js";
