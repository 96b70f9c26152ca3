import type { Redis } from "ioredis";

/**
 * A bounded set of places, each held by a named holder for a lease (e.g. the open live-update
 * streams of one user). A holder keeps its place by acquiring it again before the lease ends; a
 * holder that stops (a crashed process) loses it when the lease runs out, so nothing leaks.
 */
export interface Slots {
  /** Takes or renews `holder`'s place in `set` for `ttlMs`; false when `max` others hold places. */
  acquireSlot(set: string, holder: string, max: number, ttlMs: number): Promise<boolean>;
  releaseSlot(set: string, holder: string): Promise<void>;
}

export function memorySlots(now: () => number = Date.now): Slots {
  const sets = new Map<string, Map<string, number>>();
  const live = (name: string) => {
    const set = sets.get(name) ?? new Map<string, number>();
    const t = now();
    for (const [holder, until] of set) if (until <= t) set.delete(holder);
    sets.set(name, set);
    return set;
  };
  return {
    async acquireSlot(name, holder, max, ttlMs) {
      const set = live(name);
      if (!set.has(holder) && set.size >= max) return false;
      set.set(holder, now() + ttlMs);
      return true;
    },
    async releaseSlot(name, holder) {
      const set = sets.get(name);
      set?.delete(holder);
      if (set?.size === 0) sets.delete(name);
    },
  };
}

// A sorted set per name, scored by lease end in Redis's own clock (instances' clocks may differ);
// one script, so checking the count and adding cannot interleave between instances.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
return 1
`;

export function redisSlots(redis: Redis): Slots {
  return {
    async acquireSlot(name, holder, max, ttlMs) {
      return (await redis.eval(ACQUIRE, 1, `slots:${name}`, holder, max, ttlMs)) === 1;
    },
    async releaseSlot(name, holder) {
      await redis.zrem(`slots:${name}`, holder);
    },
  };
}
