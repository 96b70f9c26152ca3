import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import type { TokenScope, UserRole } from "@trellis/db/constants";

export const SESSION_COOKIE = "trellis_session";

/**
 * Who is calling. `authenticate()` (auth/authenticate.ts) builds it from the request's credentials
 * after checking them against the database (through a short kv cache):
 * - `kind: "session"`: a browser sign-in; `sessionId` names the `sessions` row.
 * - `kind: "token"`: a personal API token; `tokenId` names the `api_tokens` row and `scope` says
 *   whether it may write. A token without a scope is treated as read-only.
 * Principals built by server-side code and tests may leave `kind` out: they act as a session.
 */
export type Principal = {
  userId: string;
  role: UserRole;
  email: string;
  name: string;
  kind?: "session" | "token";
  sessionId?: string;
  tokenId?: string;
  scope?: TokenScope;
};

const claimsSchema = z.object({ sub: z.uuid(), sid: z.uuid(), exp: z.number() });

/** A verified access token: whose, which session, and until when it is good on its own. */
export interface AccessClaims {
  userId: string;
  sessionId: string;
  expiresAt: Date;
  /** Past `expiresAt` (only returned when `allowExpired` asked for it). */
  expired: boolean;
}

export interface SessionSigner {
  /** Lifetime of one access token (ACCESS_TOKEN_TTL_SECONDS, 15 min by default). */
  readonly ttlSeconds: number;
  /** Lifetime of a session, from sign-in (SESSION_TTL_SECONDS); the cookie is renewed until then. */
  readonly sessionTtlSeconds: number;
  readonly cookieSecure: boolean;
  sign(session: { userId: string; sessionId: string }): Promise<{ token: string; expiresAt: Date }>;
  /**
   * Checks signature, issuer and expiry; null for any token that is not ours or is malformed.
   * `allowExpired` accepts an expired token (the session cookie: the session row decides).
   */
  verify(token: string, opts?: { allowExpired?: boolean }): Promise<AccessClaims | null>;
}

/**
 * HS256 access tokens naming a server-side session (`sid`). They say nothing about the role: that
 * is read from the database when the session is checked, so a role change applies at once.
 */
export function createSessionSigner(opts: {
  secret: string;
  ttlSeconds: number;
  sessionTtlSeconds?: number;
  cookieSecure?: boolean;
  now?: () => number;
}): SessionSigner {
  const key = new TextEncoder().encode(opts.secret);
  const now = opts.now ?? Date.now;
  const sessionTtlSeconds = Math.max(opts.sessionTtlSeconds ?? 12 * 3600, opts.ttlSeconds);
  return {
    ttlSeconds: opts.ttlSeconds,
    sessionTtlSeconds,
    cookieSecure: opts.cookieSecure ?? false,
    async sign({ userId, sessionId }) {
      const iat = Math.floor(now() / 1000);
      const exp = iat + opts.ttlSeconds;
      const token = await new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(userId)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setIssuer("trellis")
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },
    async verify(token, { allowExpired = false } = {}) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: "trellis",
          algorithms: ["HS256"],
          currentDate: new Date(now()),
          // An expired cookie token still names its session; the session's own expiry bounds it.
          clockTolerance: allowExpired ? sessionTtlSeconds : 0,
        });
        const claims = claimsSchema.safeParse(payload);
        if (!claims.success) return null;
        const expiresAt = new Date(claims.data.exp * 1000);
        return { userId: claims.data.sub, sessionId: claims.data.sid, expiresAt, expired: expiresAt.getTime() <= now() };
      } catch (e) {
        if (e instanceof errors.JOSEError) return null;
        throw e;
      }
    },
  };
}

/** The bearer token of an Authorization header, if it has one. */
export function bearerFrom(authorization: string | undefined): string | undefined {
  return authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/** Bearer token first (scripts, sibling apps), then the session cookie (the dashboard). */
export function sessionTokenFrom(
  authorization: string | undefined,
  cookieValue: string | undefined,
): string | undefined {
  return bearerFrom(authorization) ?? (cookieValue || undefined);
}
