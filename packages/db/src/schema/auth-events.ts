import { authActions } from "../constants.js";
import { bigint, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { users } from "./users.js";

export const authAction = pgEnum("auth_action", authActions);

/**
 * The audit trail of authentication and administration, beside project_events. Append-only: no
 * procedure updates or deletes it, and a trigger (migration 0003) rejects UPDATE and DELETE.
 */
export const authEvents = pgTable(
  "auth_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** Who did it; null for a failed sign-in (nobody is signed in). */
    actorId: uuid("actor_id").references(() => users.id),
    action: authAction("action").notNull(),
    /** What it was done to: "user", "token" or "session", and its id. */
    targetType: text("target_type"),
    targetId: text("target_id"),
    ip: text("ip"),
    requestId: text("request_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("auth_events_created_idx").on(t.createdAt, t.id),
    index("auth_events_actor_created_idx").on(t.actorId, t.createdAt, t.id),
    index("auth_events_action_created_idx").on(t.action, t.createdAt, t.id),
  ],
);

export type AuthEventRow = typeof authEvents.$inferSelect;

export { authActions, type AuthAction } from "../constants.js";
