import { index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.js";

/**
 * One browser sign-in. The access token (a short-lived JWT) names its session (`sid`); the session
 * row is what logout, a password change, deactivation or an admin revokes. Verification reads it
 * through a short kv cache (see packages/api/src/auth/authenticate.ts).
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Updated at most once per cache period, not on every request. */
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Absolute end of the session (SESSION_TTL_SECONDS after sign-in); access tokens are renewed until then. */
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
    revokedAt: timestamp("revoked_at", { withTimezone: true, precision: 3 }),
    /** Why it ended early: logout, password_changed, sessions_revoked, user_deactivated. */
    revokedReason: text("revoked_reason"),
    userAgent: text("user_agent"),
    ip: text("ip"),
  },
  (t) => [index("sessions_user_idx").on(t.userId, t.expiresAt)],
);

export type SessionRow = typeof sessions.$inferSelect;
