import { tokenScopes } from "../constants.js";
import { index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./users.js";

export const tokenScope = pgEnum("token_scope", tokenScopes);

/**
 * Personal API tokens for scripts and sibling apps. Only the SHA-256 of the secret is stored: the
 * secret is 256 random bits, so a fast hash is enough (nothing to brute-force) and lets a request
 * find its token by an indexed lookup.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    name: varchar("name", { length: 100 }).notNull(),
    /** hex SHA-256 of the whole token string. */
    tokenHash: text("token_hash").notNull(),
    /** The first characters of the token, shown in lists so people can tell tokens apart. */
    prefix: text("prefix").notNull(),
    scope: tokenScope("scope").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
    /** Updated at most once per cache period, not on every request. */
    lastUsedAt: timestamp("last_used_at", { withTimezone: true, precision: 3 }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex("api_tokens_hash_idx").on(t.tokenHash),
    index("api_tokens_user_idx").on(t.userId, t.createdAt, t.id),
  ],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;
