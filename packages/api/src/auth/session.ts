import { errors, jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { userRoles } from "@trellis/db/constants";

export const SESSION_COOKIE = "trellis_session";

const claimsSchema = z.object({
  sub: z.uuid(),
  role: z.enum(userRoles),
  email: z.string(),
  name: z.string(),
});

export type Principal = {
  userId: string;
  role: (typeof userRoles)[number];
  email: string;
  name: string;
};

export interface SessionSigner {
  readonly ttlSeconds: number;
  readonly cookieSecure: boolean;
  sign(principal: Principal): Promise<{ token: string; expiresAt: Date }>;
  /** Returns null for any token that is not ours, expired or malformed. */
  verify(token: string): Promise<Principal | null>;
}

/** HS256 session tokens; the same token works as a cookie and as a bearer token. */
export function createSessionSigner(opts: {
  secret: string;
  ttlSeconds: number;
  cookieSecure?: boolean;
  now?: () => number;
}): SessionSigner {
  const key = new TextEncoder().encode(opts.secret);
  const now = opts.now ?? Date.now;
  return {
    ttlSeconds: opts.ttlSeconds,
    cookieSecure: opts.cookieSecure ?? false,
    async sign(p) {
      const iat = Math.floor(now() / 1000);
      const exp = iat + opts.ttlSeconds;
      const token = await new SignJWT({ role: p.role, email: p.email, name: p.name })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(p.userId)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setIssuer("trellis")
        .sign(key);
      return { token, expiresAt: new Date(exp * 1000) };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: "trellis",
          algorithms: ["HS256"],
          currentDate: new Date(now()),
        });
        const claims = claimsSchema.safeParse(payload);
        if (!claims.success) return null;
        const { sub, role, email, name } = claims.data;
        return { userId: sub, role, email, name };
      } catch (e) {
        if (e instanceof errors.JOSEError) return null;
        throw e;
      }
    },
  };
}

/** Bearer token first (scripts, sibling apps), then the session cookie (the dashboard). */
export function sessionTokenFrom(
  authorization: string | undefined,
  cookieValue: string | undefined,
): string | undefined {
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  return bearer ?? (cookieValue || undefined);
}
