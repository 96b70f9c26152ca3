import { createHash } from "node:crypto";
import type { Kv } from "@trellis/kv";
import type { Scope, StoredOutcome } from "./store.js";

/**
 * Redis (or in-memory) fast path in front of Postgres: a replay cache, so a replay needs no
 * database round trip, and an in-flight marker, so duplicates arriving together wait here
 * instead of holding database connections. Every call fails open: when the store is down,
 * Postgres alone still decides.
 */
export interface ReplayCache {
  /** A cached outcome that has not expired by `now` (the injected clock decides, not Redis' TTL). */
  get(scope: Scope, now: Date): Promise<StoredOutcome | undefined>;
  put(scope: Scope, outcome: StoredOutcome, now: Date): Promise<void>;
  /** True when this attempt may run (it claimed the scope, or the store is unavailable). */
  claim(scope: Scope, ttlMs: number): Promise<boolean>;
  release(scope: Scope): Promise<void>;
}

const keyOf = (prefix: string, s: Scope) =>
  `idem:${prefix}:${createHash("sha256").update(JSON.stringify([s.principalId, s.path, s.key])).digest("base64url")}`;

// One warning per store per interval: an outage must not turn every request into a log line.
const WARN_INTERVAL_MS = 10_000;
const lastWarning = new WeakMap<Kv, number>();

export function createReplayCache(kv: Kv, onError: (err: unknown) => void): ReplayCache {
  const safe = async <T>(fallback: T, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      const now = Date.now();
      if (now - (lastWarning.get(kv) ?? 0) >= WARN_INTERVAL_MS) {
        lastWarning.set(kv, now);
        onError(err);
      }
      return fallback;
    }
  };
  return {
    get: (scope, now) =>
      safe(undefined, async () => {
        const raw = await kv.get(keyOf("r", scope));
        if (!raw) return undefined;
        const parsed = JSON.parse(raw) as StoredOutcome & { expiresAt: string };
        const expiresAt = new Date(parsed.expiresAt);
        return expiresAt.getTime() > now.getTime() ? { ...parsed, expiresAt } : undefined;
      }),
    put: (scope, outcome, now) =>
      safe(undefined, async () => {
        const ttl = outcome.expiresAt.getTime() - now.getTime();
        if (ttl > 0) await kv.set(keyOf("r", scope), JSON.stringify(outcome), ttl);
      }),
    claim: (scope, ttlMs) => safe(true, () => kv.setIfAbsent(keyOf("f", scope), "1", ttlMs)),
    release: (scope) => safe(undefined, () => kv.del(keyOf("f", scope))),
  };
}
