import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Redis } from "ioredis";

export interface RateLimiterOptions {
  /** Names the counter family: keys of limiters with different names never collide. */
  name: string;
  /** Points a key may consume per window. */
  points: number;
  /** Window length in whole seconds; a key's window starts with its first point (fixed window). */
  durationSeconds: number;
  /** Once a key has used up its points, refuse it for this long instead of until its window ends. */
  blockSeconds?: number;
}

export interface RateLimitState {
  /** Whether the key is within its limit (for consume: whether these points were granted). */
  allowed: boolean;
  /** Points per window. */
  limit: number;
  /** Points left in the current window (0 once refused). */
  remaining: number;
  /** Points used in the current window, refused ones included. */
  consumed: number;
  /** Milliseconds until the window (or the block) ends and points are available again. */
  resetMs: number;
}

/**
 * A counter per key with a limit per window, shared by every instance through the kv store.
 * Backed by rate-limiter-flexible: Redis when the kv is Redis (with an in-process fallback
 * while Redis is unreachable), process memory otherwise.
 */
export interface RateLimiter {
  /** Takes `points` (default 1) from the key; resolves with the outcome whether or not it fitted. */
  consume(key: string, points?: number): Promise<RateLimitState>;
  /** The key's state without consuming; null when the key has no live counter. */
  peek(key: string): Promise<RateLimitState | null>;
  /** Refuses the key for `seconds` (its counter is replaced by the block). */
  block(key: string, seconds: number): Promise<void>;
  /** Forgets the key's counter and any block on it. */
  reset(key: string): Promise<void>;
}

function stateOf(res: RateLimiterRes, limit: number, allowed: boolean): RateLimitState {
  return {
    allowed,
    limit,
    remaining: allowed ? Math.max(0, limit - res.consumedPoints) : 0,
    consumed: res.consumedPoints,
    // A key without expiry reports -1; treat it as "now" rather than promising a reset time.
    resetMs: Math.max(0, res.msBeforeNext),
  };
}

function wrap(options: RateLimiterOptions, limiter: RateLimiterAbstract): RateLimiter {
  const limit = options.points;
  return {
    async consume(key, points = 1) {
      try {
        return stateOf(await limiter.consume(key, points), limit, true);
      } catch (e) {
        // rate-limiter-flexible rejects with the counter's state when the points do not fit.
        if (e instanceof RateLimiterRes) return stateOf(e, limit, false);
        throw e;
      }
    },
    async peek(key) {
      const res = await limiter.get(key);
      if (!res) return null;
      const allowed = res.consumedPoints <= limit;
      return stateOf(res, limit, allowed);
    },
    async block(key, seconds) {
      await limiter.block(key, seconds);
    },
    async reset(key) {
      await limiter.delete(key);
    },
  };
}

const memoryLimiter = (o: RateLimiterOptions) =>
  new RateLimiterMemory({ keyPrefix: o.name, points: o.points, duration: o.durationSeconds, blockDuration: o.blockSeconds ?? 0 });

/** One limiter per distinct options, so every request shares the same counters and insurance. */
function memoize(make: (o: RateLimiterOptions) => RateLimiter): (o: RateLimiterOptions) => RateLimiter {
  const made = new Map<string, RateLimiter>();
  return (o) => {
    const id = JSON.stringify([o.name, o.points, o.durationSeconds, o.blockSeconds ?? 0]);
    let limiter = made.get(id);
    if (!limiter) {
      limiter = make(o);
      made.set(id, limiter);
    }
    return limiter;
  };
}

export function memoryRateLimiters(): (o: RateLimiterOptions) => RateLimiter {
  return memoize((o) => wrap(o, memoryLimiter(o)));
}

/**
 * Counters in Redis, so every instance sees the same count. While Redis is unreachable (the
 * client fails commands at once rather than queueing them) each instance counts in its own
 * memory instead: limits then hold per instance, and requests are never refused because
 * Redis is down.
 */
export function redisRateLimiters(redis: Redis): (o: RateLimiterOptions) => RateLimiter {
  return memoize((o) =>
    wrap(
      o,
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: o.name,
        points: o.points,
        duration: o.durationSeconds,
        blockDuration: o.blockSeconds ?? 0,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memoryLimiter(o),
      }),
    ),
  );
}
