import { type Db, one, projectEvents, users } from "@trellis/db";
import { eq, sql } from "drizzle-orm";

// Arbitrary constant shared by every writer of project_events.
const EVENT_ORDER_LOCK = 7_304_212;

/**
 * Appends an audit event so that event ids become visible in id order. Holding a transaction-level
 * lock from taking the id until commit means no transaction can commit a lower id after a higher one,
 * so a change feed that resumes from "id > last seen" can never skip an event. It serializes only
 * the tail of write transactions (this insert to commit), which is short.
 */
export async function appendProjectEvent(tx: Db, event: typeof projectEvents.$inferInsert): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`);
  return one(await tx.insert(projectEvents).values(event).returning({ id: projectEvents.id }), "the new project event").id;
}

/** Audit events with the actor's name: the one shape activity, history and the change feed read. */
export function selectEvents(db: Db) {
  return db
    .select({
      id: projectEvents.id,
      projectId: projectEvents.projectId,
      action: projectEvents.action,
      version: projectEvents.version,
      actorId: projectEvents.actorId,
      actorName: users.name,
      changes: projectEvents.changes,
      requestId: projectEvents.requestId,
      createdAt: projectEvents.createdAt,
    })
    .from(projectEvents)
    .innerJoin(users, eq(users.id, projectEvents.actorId));
}
