import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * The outcome of one keyed mutation, written in the same transaction as its effects.
 * Scope = (principal, procedure path, key). `body` is the serialized result kept as text,
 * not jsonb, so a replay is byte-for-byte the original (jsonb would reorder keys).
 */
export const idempotencyRecords = pgTable(
  "idempotency_records",
  {
    principalId: text("principal_id").notNull(),
    path: text("path").notNull(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    /** "ok" for a result, "error" for a stored deterministic domain error. */
    outcome: text("outcome", { enum: ["ok", "error"] }).notNull(),
    body: text("body").notNull(),
    httpStatus: integer("http_status").notNull(),
    requestId: text("request_id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.principalId, t.path, t.key] }),
    index("idempotency_records_expires_idx").on(t.expiresAt),
  ],
);

export type IdempotencyRecordRow = typeof idempotencyRecords.$inferSelect;
