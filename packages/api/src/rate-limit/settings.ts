import { configDefaults } from "@trellis/config";

/** Request budgets; the host fills them from config (RATE_LIMIT_*). */
export interface RateLimitSettings {
  enabled: boolean;
  /** Window length; budgets are points per window per subject. */
  windowSeconds: number;
  /** Points per window: per signed-in user by role, per API token, per client IP when signed out. */
  points: Record<RateLimitTier, number>;
  /** Points a query (or a subscription connect) costs. */
  readCost: number;
  /** Points a mutation costs. */
  writeCost: number;
}

/**
 * Who a budget belongs to. Part of the contract with principals: a principal that says
 * `kind: "token"` (an API token) is limited by the token tier, whatever its user's role.
 */
export type RateLimitTier = "viewer" | "editor" | "admin" | "token" | "anonymous";

/** Failed sign-ins; the host fills them from config (LOGIN_*). */
export interface LoginThrottleSettings {
  /** Consecutive failures for one email from one client IP before that pair is blocked. */
  failuresPerAccount: number;
  /** After this many consecutive failures, each further attempt waits 1 s, 2 s, 4 s, ... first. */
  slowdownAfter: number;
  /** Failures from one client IP (any emails) within the window before that IP is blocked. */
  failuresPerIp: number;
  /** How long failures are remembered. */
  failureWindowSeconds: number;
  /** How long a block lasts; it always ends, and a success resets the account's count. */
  blockSeconds: number;
}

// The defaults are the config schema's (RATE_LIMIT_*, LOGIN_* in packages/config), written there once.
export const defaultRateLimits: RateLimitSettings = configDefaults.rateLimit;

export const defaultLoginThrottle: LoginThrottleSettings = configDefaults.loginThrottle;
