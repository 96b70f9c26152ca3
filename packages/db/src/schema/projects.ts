import { projectStatuses } from "../constants.js";
import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  date,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
  varchar,
} from "drizzle-orm/pg-core";
import { users } from "./users.js";

export const projectStatus = pgEnum("project_status", projectStatuses);

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 200 }).notNull(),
    description: text("description").notNull().default(""),
    status: projectStatus("status").notNull().default("planning"),
    ownerId: uuid("owner_id")
      .notNull()
      .references(() => users.id),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    // bigint: budgets in cents outgrow int4 at ~21 million.
    budgetCents: bigint("budget_cents", { mode: "number" }),
    dueDate: date("due_date", { mode: "string" }),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    archivedAt: timestamp("archived_at", { withTimezone: true, precision: 3 }),
    version: integer("version").notNull().default(1),
  },
  (t) => [
    // One index per supported sort, each ending in id so keyset cursors are total orders.
    index("projects_created_idx").on(t.createdAt, t.id),
    index("projects_updated_idx").on(t.updatedAt, t.id),
    index("projects_name_idx").on(t.name, t.id),
    index("projects_status_created_idx").on(t.status, t.createdAt, t.id),
    index("projects_owner_created_idx").on(t.ownerId, t.createdAt, t.id),
    check("projects_budget_nonnegative", sql`${t.budgetCents} IS NULL OR ${t.budgetCents} >= 0`),
    check("projects_version_positive", sql`${t.version} >= 1`),
  ],
);

export type ProjectRow = typeof projects.$inferSelect;

export { projectStatuses, type ProjectStatus } from "../constants.js";
