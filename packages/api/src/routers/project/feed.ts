import { type Db, projectEvents } from "@trellis/db";
import { selectEvents } from "../../domain/project/events.js";
import { asc, gt, max } from "drizzle-orm";

export async function latestEventId(db: Db): Promise<number> {
  const [row] = await db.select({ id: max(projectEvents.id) }).from(projectEvents);
  return Number(row?.id ?? 0);
}

/** Events after `afterId`, oldest first, with the actor's name. */
export async function eventsAfter(db: Db, afterId: number, limit: number) {
  const rows = await selectEvents(db).where(gt(projectEvents.id, afterId)).orderBy(asc(projectEvents.id)).limit(limit);
  return rows.map(({ id, requestId: _requestId, ...event }) => ({ eventId: id, ...event }));
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
