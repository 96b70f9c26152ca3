export type { Kv } from "./types.js";
export { createMemoryKv } from "./memory.js";
export { createRedisKv, type RedisKvOptions } from "./redis.js";
export { createKv } from "./create.js";
