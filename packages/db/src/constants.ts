// Pure domain constants, importable by the browser bundle without pulling in drizzle.
export const userRoles = ["viewer", "editor", "admin"] as const;
export type UserRole = (typeof userRoles)[number];

export const projectStatuses = ["planning", "active", "on_hold", "completed", "cancelled"] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export const projectActions = ["created", "updated", "archived", "restored", "reverted"] as const;
export type ProjectAction = (typeof projectActions)[number];

export const tokenScopes = ["read", "read+write"] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** Audited authentication and administration events (auth_events.action). */
export const authActions = [
  "login_succeeded",
  "login_failed",
  "logout",
  "password_changed",
  "sessions_revoked",
  "token_created",
  "token_revoked",
  "user_invited",
  "role_changed",
  "user_deactivated",
  "user_reactivated",
] as const;
export type AuthAction = (typeof authActions)[number];

/**
 * Background job states. `retrying`: an attempt failed and the next one waits for its backoff.
 * `queued` also covers a job not yet handed to the queue and a failed one retried by hand.
 */
export const jobStates = ["queued", "running", "retrying", "succeeded", "failed", "cancelled"] as const;
export type JobState = (typeof jobStates)[number];

/**
 * What became of one item of a job that works through a list. A bulk change: applied, skipped,
 * conflict, not_found, failed. An import row: created, updated, unchanged, conflict, error (a dry
 * run records what the row would do).
 */
export const jobItemOutcomes = ["applied", "skipped", "conflict", "not_found", "failed", "created", "updated", "unchanged", "error"] as const;
export type JobItemOutcome = (typeof jobItemOutcomes)[number];
