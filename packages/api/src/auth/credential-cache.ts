import type { Kv } from "@trellis/kv";

/**
 * Credential checks through the shared kv store (Redis in production), so the hot path costs one
 * kv read instead of a database query, while revocation still takes effect at once on every
 * instance: there is no per-process cache, and revoking writes an invalidation marker that
 * every instance reads on its next request.
 *
 * - A hit returns the cached principal (at most CACHE_TTL_MS old).
 * - A miss asks the database and caches a positive answer with SET-if-absent.
 * - `invalidate()` overwrites the entry with a marker for CACHE_TTL_MS. While it stands, every
 *   check asks the database and caches nothing, so a check that read the database just before a
 *   revocation committed cannot put the old answer back (its SET-if-absent finds the marker).
 *   Callers invalidate before their transaction commits; it commits long before the marker ends.
 * - When the store is down, every check asks the database (fails closed to the source of truth).
 */
export const CACHE_TTL_MS = 10_000;
const MARKER = "!";

export interface CachedCredential {
  userId: string;
  role: "viewer" | "editor" | "admin";
  email: string;
  name: string;
  /** When the session or token ends (ms since epoch); the cache entry never outlives it. */
  expiresAtMs: number;
  tokenId?: string;
  scope?: "read" | "read+write";
}

export const sessionCacheKey = (sessionId: string) => `auth:session:${sessionId}`;
export const tokenCacheKey = (tokenHash: string) => `auth:token:${tokenHash}`;

export async function cachedCredential(
  kv: Kv,
  key: string,
  nowMs: number,
  load: () => Promise<CachedCredential | null>,
  onError: (err: unknown) => void,
): Promise<CachedCredential | null> {
  let raw: string | null | undefined;
  try {
    raw = await kv.get(key);
  } catch (err) {
    onError(err);
    raw = undefined;
  }
  if (raw && raw !== MARKER) {
    const cached = JSON.parse(raw) as CachedCredential;
    if (cached.expiresAtMs > nowMs) return cached;
  }
  const fresh = await load();
  if (fresh && raw === null) {
    const ttl = Math.min(CACHE_TTL_MS, fresh.expiresAtMs - nowMs);
    if (ttl > 0) await kv.setIfAbsent(key, JSON.stringify(fresh), ttl).catch(onError);
  }
  return fresh;
}

/** Makes every instance re-check these credentials against the database from now on. */
export async function invalidateCredentials(kv: Kv, keys: string[], onError: (err: unknown) => void): Promise<void> {
  await Promise.all(keys.map((key) => kv.set(key, MARKER, CACHE_TTL_MS).catch(onError)));
}
