import { userRoles } from "../constants.js";
import { sql } from "drizzle-orm";
import { pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const userRole = pgEnum("user_role", userRoles);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull().default("viewer"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    /** Set while an admin has deactivated the user: no sign-in, and every session and token is refused. */
    deactivatedAt: timestamp("deactivated_at", { withTimezone: true, precision: 3 }),
  },
  // Case-insensitive uniqueness without the citext extension (PGlite would need it loaded).
  (t) => [uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`)],
);

export type UserRow = typeof users.$inferSelect;

export { userRoles, type UserRole } from "../constants.js";
