import { projectActions } from "../constants.js";
import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { projects } from "./projects.js";
import { users } from "./users.js";

export const projectAction = pgEnum("project_action", projectActions);

/** Field name -> value before and after the change. */
export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

export const projectEvents = pgTable(
  "project_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: uuid("project_id")
      .notNull()
      .references(() => projects.id),
    actorId: uuid("actor_id")
      .notNull()
      .references(() => users.id),
    action: projectAction("action").notNull(),
    changes: jsonb("changes").$type<FieldChanges>().notNull(),
    version: integer("version").notNull(),
    requestId: text("request_id").notNull(),
    idempotencyKey: text("idempotency_key"),
    /** The job whose work this change was (a bulk change, an import); null for a request. No foreign key: finished jobs expire. */
    jobId: uuid("job_id"),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index("project_events_project_idx").on(t.projectId, t.id),
    // The audit view pages through every event by time, optionally by actor or action.
    index("project_events_created_idx").on(t.createdAt, t.id),
    index("project_events_actor_created_idx").on(t.actorId, t.createdAt, t.id),
    index("project_events_action_created_idx").on(t.action, t.createdAt, t.id),
    // A job's detail shows its audit trail.
    index("project_events_job_idx").on(t.jobId, t.id).where(sql`${t.jobId} is not null`),
  ],
);

export type ProjectEventRow = typeof projectEvents.$inferSelect;

export { projectActions, type ProjectAction } from "../constants.js";
