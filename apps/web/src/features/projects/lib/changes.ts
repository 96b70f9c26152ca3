import { type Project, projectEditableFields } from "@trellis/api/schemas";

/** One field's change as the audit log and the live feed carry it. */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

export type FieldChanges = Record<string, FieldChange>;

export const sameValue = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** ["Ann"] -> "Ann", ["Ann", "Bo"] -> "Ann and Bo", ["Ann", "Bo", "Cy"] -> "Ann, Bo and Cy". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/**
 * The net effect of several consecutive changes (oldest first): each field's first "before" and
 * last "after". A field changed and changed back is dropped.
 */
export function netChanges(changes: readonly FieldChanges[]): FieldChanges {
  const net: FieldChanges = {};
  for (const step of changes) {
    for (const [field, change] of Object.entries(step)) {
      const earlier = net[field];
      net[field] = { before: earlier ? earlier.before : change.before, after: change.after };
    }
  }
  for (const [field, change] of Object.entries(net)) {
    if (sameValue(change.before, change.after)) delete net[field];
  }
  return net;
}

/** What differs between two copies of a project: its editable fields and whether it is archived. */
export function projectDiff(before: Project, after: Project): FieldChanges {
  const diff: FieldChanges = {};
  for (const field of projectEditableFields) {
    if (!sameValue(before[field], after[field])) diff[field] = { before: before[field], after: after[field] };
  }
  if ((before.archivedAt === null) !== (after.archivedAt === null)) {
    diff.archivedAt = { before: before.archivedAt, after: after.archivedAt };
  }
  return diff;
}

interface VersionAuthor {
  version: number;
  actorName: string;
}

/**
 * Who made the versions after `version` (up to `until`, when given), each name once, earliest
 * first, from project.history.
 */
export function actorsSince(history: readonly VersionAuthor[], version: number, until = Number.POSITIVE_INFINITY): string[] {
  const newer = history.filter((entry) => entry.version > version && entry.version <= until).sort((a, b) => a.version - b.version);
  return [...new Set(newer.map((entry) => entry.actorName))];
}

/** "Test editor" / "someone" when the history could not tell. */
export function whoChanged(names: readonly string[]): string {
  return names.length > 0 ? joinNames(names) : "Someone";
}
