import { apiTokens, type Db, sessions, users } from "@trellis/db";
import type { Kv } from "@trellis/kv";
import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { ResponseControl, Services } from "../context.js";
import { hashApiToken, isApiToken } from "./api-token.js";
import { CACHE_TTL_MS, type CachedCredential, cachedCredential, sessionCacheKey, tokenCacheKey } from "./credential-cache.js";
import { bearerFrom, type Principal, SESSION_COOKIE, type SessionSigner } from "./session.js";

export interface AuthenticateDeps {
  db: Db;
  kv: Kv;
  sessions: SessionSigner;
  services: Pick<Services, "now" | "log">;
}

export interface Credentials {
  /** The Authorization header: `Bearer <access token or trellis_pat_… API token>`. */
  authorization?: string | undefined;
  /** The session cookie's value (an access token). */
  cookie?: string | undefined;
}

/**
 * The principal behind a request's credentials, or null (signed out, or refused: unknown, expired,
 * revoked, or its user deactivated). A bearer token wins over the cookie, and an invalid bearer
 * token is not rescued by a valid cookie.
 *
 * - `Bearer trellis_pat_…`: an API token, found by its SHA-256.
 * - `Bearer <JWT>`: an access token; it must not be expired, and its session must be live.
 * - Cookie: the same access token, but an expired one is accepted while its session is live, and
 *   the cookie is renewed (through `response`) once the token is past half its life. So an open
 *   dashboard is never signed out while its session lasts, and a revoked session ends at once.
 */
export async function authenticate(deps: AuthenticateDeps, creds: Credentials, response?: ResponseControl): Promise<Principal | null> {
  const bearer = bearerFrom(creds.authorization);
  if (bearer !== undefined) {
    return isApiToken(bearer) ? apiTokenPrincipal(deps, bearer) : sessionPrincipal(deps, bearer, undefined);
  }
  const cookie = creds.cookie;
  if (!cookie || isApiToken(cookie)) return null;
  return sessionPrincipal(deps, cookie, response);
}

function warnOnce(deps: AuthenticateDeps) {
  let warned = false;
  return (err: unknown) => {
    if (warned) return;
    warned = true;
    deps.services.log.warn({ err: err instanceof Error ? err.message : String(err) }, "credential cache unavailable; checking the database");
  };
}

/** A live session (unrevoked, unexpired, its user active) with its user as the cache keeps it. */
async function loadSession(db: Db, sessionId: string, now: Date): Promise<CachedCredential | null> {
  const [row] = await db
    .select({ userId: sessions.userId, expiresAt: sessions.expiresAt, role: users.role, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now), isNull(users.deactivatedAt)))
    .limit(1);
  if (!row) return null;
  const { expiresAt, ...user } = row;
  return { ...user, expiresAtMs: expiresAt.getTime() };
}

async function sessionPrincipal(deps: AuthenticateDeps, token: string, cookie: ResponseControl | undefined): Promise<Principal | null> {
  const claims = await deps.sessions.verify(token, { allowExpired: cookie !== undefined });
  if (!claims) return null;
  const now = deps.services.now();
  const credential = await cachedCredential(
    deps.kv,
    sessionCacheKey(claims.sessionId),
    now.getTime(),
    async () => {
      const found = await loadSession(deps.db, claims.sessionId, now);
      // "Last seen" is as fresh as the cache: written on a miss, at most every few seconds per session.
      if (found) await deps.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, claims.sessionId));
      return found;
    },
    warnOnce(deps),
  );
  if (!credential || credential.userId !== claims.userId) return null;

  if (cookie && (claims.expired || claims.expiresAt.getTime() - now.getTime() < (deps.sessions.ttlSeconds * 1000) / 2)) {
    const renewed = await deps.sessions.sign({ userId: claims.userId, sessionId: claims.sessionId });
    cookie.setCookie(SESSION_COOKIE, renewed.token, {
      maxAgeSeconds: Math.max(1, Math.floor((credential.expiresAtMs - now.getTime()) / 1000)),
      secure: deps.sessions.cookieSecure,
    });
  }
  const { userId, role, email, name } = credential;
  return { kind: "session", sessionId: claims.sessionId, userId, role, email, name };
}

async function apiTokenPrincipal(deps: AuthenticateDeps, token: string): Promise<Principal | null> {
  const hash = hashApiToken(token);
  const now = deps.services.now();
  const credential = await cachedCredential(
    deps.kv,
    tokenCacheKey(hash),
    now.getTime(),
    async () => {
      const [row] = await deps.db
        .select({
          tokenId: apiTokens.id,
          scope: apiTokens.scope,
          expiresAt: apiTokens.expiresAt,
          lastUsedAt: apiTokens.lastUsedAt,
          userId: users.id,
          role: users.role,
          email: users.email,
          name: users.name,
        })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.userId))
        .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now), isNull(users.deactivatedAt)))
        .limit(1);
      if (!row) return null;
      const { expiresAt, lastUsedAt: _, ...rest } = row;
      await deps.db
        .update(apiTokens)
        .set({ lastUsedAt: now })
        .where(and(eq(apiTokens.id, row.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - CACHE_TTL_MS)))));
      return { ...rest, expiresAtMs: expiresAt.getTime() } satisfies CachedCredential;
    },
    warnOnce(deps),
  );
  if (!credential) return null;
  const { userId, role, email, name, tokenId, scope } = credential;
  return { kind: "token", tokenId, scope: scope ?? "read", userId, role, email, name };
}

/**
 * Whether a principal resolved earlier still holds: its session or token unrevoked and unexpired,
 * its user active. Long-lived streams ask this as they go, so a revocation also ends them.
 * Principals built by server-side code (no `kind`) always hold.
 */
export async function principalStillValid(deps: AuthenticateDeps, principal: Principal): Promise<boolean> {
  const now = deps.services.now();
  if (principal.kind === "session" && principal.sessionId) {
    const sessionId = principal.sessionId;
    const credential = await cachedCredential(
      deps.kv,
      sessionCacheKey(sessionId),
      now.getTime(),
      () => loadSession(deps.db, sessionId, now),
      warnOnce(deps),
    );
    return credential?.userId === principal.userId;
  }
  if (principal.kind === "token" && principal.tokenId) {
    const [row] = await deps.db
      .select({ id: apiTokens.id })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.id, principal.tokenId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now), isNull(users.deactivatedAt)))
      .limit(1);
    return row !== undefined;
  }
  return true;
}
