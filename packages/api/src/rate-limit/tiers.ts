import type { Principal } from "../auth/session.js";
import type { RateLimitTier } from "./settings.js";

/**
 * A principal as budgets see it. API-token principals (part B) carry `kind: "token"` and their
 * token id; every other principal is a user signed in through a session.
 */
export type LimitedPrincipal = Pick<Principal, "userId" | "role"> & { kind?: "session" | "token"; tokenId?: string };

export interface RateLimitSubject {
  tier: RateLimitTier;
  /** Whose counter: one per user, per API token, or per client IP when signed out. */
  key: string;
}

/** The one place that decides whose budget a call spends. */
export function subjectOf(principal: LimitedPrincipal | null, clientIp: string | undefined): RateLimitSubject {
  if (!principal) return { tier: "anonymous", key: `ip:${clientIp ?? "unknown"}` };
  if (principal.kind === "token") return { tier: "token", key: `token:${principal.tokenId ?? principal.userId}` };
  return { tier: principal.role, key: `user:${principal.userId}` };
}
