import { type Db, projectEvents, users } from "@trellis/db";
import { asc, eq, gt, max } from "drizzle-orm";

export const CHANGES_CHANNEL = "project-changes";

export async function latestEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: max(projectEvents.id) }).from(projectEvents);
  return Number(row?.id ?? 0);
}

/** Events after `afterId`, oldest first, with the actor's name. */
export function eventsAfter(db: Db, afterId: number, limit: number) {
  return db
    .select({
      eventId: projectEvents.id,
      projectId: projectEvents.projectId,
      action: projectEvents.action,
      version: projectEvents.version,
      actorId: projectEvents.actorId,
      actorName: users.name,
      changes: projectEvents.changes,
      createdAt: projectEvents.createdAt,
    })
    .from(projectEvents)
    .innerJoin(users, eq(users.id, projectEvents.actorId))
    .where(gt(projectEvents.id, afterId))
    .orderBy(asc(projectEvents.id))
    .limit(limit);
}

export type ProjectChange = Awaited<ReturnType<typeof eventsAfter>>[number];

/**
 * Resolves when something may have changed: a pub/sub nudge from any instance, or a periodic
 * poll (so a lost message or a Redis outage delays a change, never loses it), or abort.
 */
export function createWaker(pollMs: number, signal: AbortSignal | undefined) {
  let wake: (() => void) | undefined;
  let pending = false;
  const nudge = () => {
    if (wake) wake();
    else pending = true;
  };
  return {
    nudge,
    wait(): Promise<void> {
      if (pending || signal?.aborted) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", done);
          wake = undefined;
          pending = false;
          resolve();
        };
        const timer = setTimeout(done, pollMs);
        signal?.addEventListener("abort", done, { once: true });
        wake = done;
      });
    },
  };
}
