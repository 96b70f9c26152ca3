import type { Principal } from "../auth/session.js";
import type { RateLimitTier } from "./settings.js";

/**
 * A principal as budgets see it. API-token principals carry `kind: "token"` and their token id;
 * every other principal is a user signed in through a session.
 */
export type LimitedPrincipal = Pick<Principal, "userId" | "role"> & { kind?: "session" | "token"; tokenId?: string };

export interface RateLimitSubject {
  tier: RateLimitTier;
  /** Whose counter: one per user, per API token, or per client IP when signed out. */
  key: string;
}

/**
 * The one place that decides whose budgets a call spends. A call must fit in every one of them.
 * An API token spends its own budget and its user's: minting more tokens never buys more
 * requests than the user's role allows.
 */
export function subjectsOf(principal: LimitedPrincipal | null, clientIp: string | undefined): RateLimitSubject[] {
  if (!principal) return [{ tier: "anonymous", key: `ip:${clientIp ?? "unknown"}` }];
  const user: RateLimitSubject = { tier: principal.role, key: `user:${principal.userId}` };
  if (principal.kind === "token") return [{ tier: "token", key: `token:${principal.tokenId ?? principal.userId}` }, user];
  return [user];
}
