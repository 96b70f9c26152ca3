import type { ProjectAction } from "@trellis/api/schemas";
import { type FieldChanges, netChanges } from "../projects/lib/changes";

/** A `type: "change"` message of the project.changes subscription. */
export interface ProjectChangeEvent {
  eventId: number;
  projectId: string;
  action: ProjectAction;
  version: number;
  actorId: string;
  actorName: string;
  changes: FieldChanges;
  createdAt: Date;
}

/** A query that one change makes stale. */
export type CacheTarget =
  | { path: "project.byId"; id: string }
  | { path: "project.activity"; id: string }
  | { path: "project.history"; id: string }
  | { path: "project.list" }
  | { path: "project.stats" };

/**
 * The queries one change touches, and no others: the changed project's own copy (only when the
 * cached one is older than the change: our own writes are already there), its activity and
 * history, and the lists and stats that may show it. Views and lists are refreshed even when the
 * copy is current, since that copy may have come from a refetch that raced ahead of them.
 */
export function cacheTargetsFor(event: Pick<ProjectChangeEvent, "projectId" | "version">, cachedVersion: number | undefined): CacheTarget[] {
  const id = event.projectId;
  const targets: CacheTarget[] = [];
  if (cachedVersion !== undefined && cachedVersion < event.version) targets.push({ path: "project.byId", id });
  targets.push({ path: "project.activity", id }, { path: "project.history", id }, { path: "project.list" }, { path: "project.stats" });
  return targets;
}

/** What an open editor tells its user about changes made since its base version. */
export interface RemoteChangeSummary {
  /** Who made them, each once, earliest first. */
  actorNames: string[];
  /** The newest version they produced. */
  version: number;
  /** Their net effect, field by field. */
  changes: FieldChanges;
  /** When the newest of them was made. */
  at: Date;
}

/**
 * The changes to `projectId` after `sinceVersion` among `events` (any order), summed up, or null
 * when there are none.
 */
export function remoteChangeSummary(
  events: readonly ProjectChangeEvent[],
  projectId: string,
  sinceVersion: number,
): RemoteChangeSummary | null {
  const newer = events.filter((e) => e.projectId === projectId && e.version > sinceVersion).sort((a, b) => a.version - b.version);
  const last = newer.at(-1);
  if (!last) return null;
  return {
    actorNames: [...new Set(newer.map((e) => e.actorName))],
    version: last.version,
    changes: netChanges(newer.map((e) => e.changes)),
    at: last.createdAt,
  };
}
