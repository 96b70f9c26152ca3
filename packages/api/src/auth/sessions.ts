import { apiTokens, type Db, one, sessions } from "@trellis/db";
import type { Kv } from "@trellis/kv";
import { and, eq, gt, isNull, ne, type SQL } from "drizzle-orm";
import type { ResponseControl, Services } from "../context.js";
import { invalidateCredentials, sessionCacheKey, tokenCacheKey } from "./credential-cache.js";
import { SESSION_COOKIE, type SessionSigner } from "./session.js";

interface Deps {
  db: Db;
  kv: Kv;
  services: Pick<Services, "now" | "log">;
}

const cacheWarning = (deps: Deps) => (err: unknown) =>
  deps.services.log.warn({ err: err instanceof Error ? err.message : String(err) }, "could not invalidate cached credentials");

/** Opens a session for a user who just proved who they are, and sets the session cookie. */
export async function startSession(
  deps: Deps & { sessions: SessionSigner; response: ResponseControl; clientIp?: string | undefined; userAgent?: string | undefined },
  userId: string,
): Promise<{ sessionId: string; token: string; expiresAt: Date }> {
  const now = deps.services.now();
  const sessionEnds = new Date(now.getTime() + deps.sessions.sessionTtlSeconds * 1000);
  const row = await deps.db
    .insert(sessions)
    .values({
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: sessionEnds,
      ip: deps.clientIp ?? null,
      userAgent: deps.userAgent?.slice(0, 512) ?? null,
    })
    .returning({ id: sessions.id })
    .then((rows) => one(rows, "the new session"));
  const { token, expiresAt } = await deps.sessions.sign({ userId, sessionId: row.id });
  deps.response.setCookie(SESSION_COOKIE, token, { maxAgeSeconds: deps.sessions.sessionTtlSeconds, secure: deps.sessions.cookieSecure });
  return { sessionId: row.id, token, expiresAt };
}

export type RevokeReason = "logout" | "password_changed" | "sessions_revoked" | "user_deactivated";

/**
 * Ends live sessions at once, on every instance: the rows are marked revoked and their cached
 * checks invalidated (see credential-cache.ts). Returns the ids of the sessions it ended.
 */
export async function revokeSessions(
  deps: Deps,
  which: { sessionId: string } | { userId: string; exceptSessionId?: string | undefined },
  reason: RevokeReason,
): Promise<string[]> {
  const now = deps.services.now();
  const conditions: SQL[] = [isNull(sessions.revokedAt), gt(sessions.expiresAt, now)];
  if ("sessionId" in which) conditions.push(eq(sessions.id, which.sessionId));
  else {
    conditions.push(eq(sessions.userId, which.userId));
    if (which.exceptSessionId) conditions.push(ne(sessions.id, which.exceptSessionId));
  }
  const revoked = await deps.db
    .update(sessions)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(...conditions))
    .returning({ id: sessions.id });
  const ids = revoked.map((r) => r.id);
  await invalidateCredentials(deps.kv, ids.map(sessionCacheKey), cacheWarning(deps));
  return ids;
}

/** Revokes API tokens (one, or all of a user's); returns the ids it revoked. */
export async function revokeApiTokens(deps: Deps, which: { tokenId: string; userId: string } | { userId: string }): Promise<string[]> {
  const now = deps.services.now();
  const conditions: SQL[] = [isNull(apiTokens.revokedAt), eq(apiTokens.userId, which.userId)];
  if ("tokenId" in which) conditions.push(eq(apiTokens.id, which.tokenId));
  const revoked = await deps.db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(...conditions))
    .returning({ id: apiTokens.id, hash: apiTokens.tokenHash });
  await invalidateCredentials(deps.kv, revoked.map((r) => tokenCacheKey(r.hash)), cacheWarning(deps));
  return revoked.map((r) => r.id);
}

/**
 * After a change to the user row (role, deactivation), every instance re-reads it on the user's
 * next request, whichever session or token that request carries.
 */
export async function invalidateUserCredentials(deps: Deps, userId: string): Promise<void> {
  const now = deps.services.now();
  const liveSessions = await deps.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)));
  const liveTokens = await deps.db
    .select({ hash: apiTokens.tokenHash })
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
  await invalidateCredentials(
    deps.kv,
    [...liveSessions.map((s) => sessionCacheKey(s.id)), ...liveTokens.map((t) => tokenCacheKey(t.hash))],
    cacheWarning(deps),
  );
}
