import { type ProjectEditableField, projectEditableFields, type ProjectSnapshot } from "./schemas.js";

export type MergeField = ProjectEditableField;

export interface FieldConflict<K extends MergeField = MergeField> {
  field: K;
  base: ProjectSnapshot[K];
  mine: ProjectSnapshot[K];
  theirs: ProjectSnapshot[K];
}

export interface MergeResult {
  /** Every field resolved where only one side changed it; conflicting fields hold "theirs" until resolved. */
  merged: ProjectSnapshot;
  /** Fields both sides changed, differently. */
  conflicts: FieldConflict[];
  /** Which side each non-conflicting changed field came from. */
  taken: Partial<Record<MergeField, "mine" | "theirs" | "both">>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Tags are a set: additions from either side are kept, a removal by either side wins, so two
 * people tagging the same project never conflict. Order: theirs, then what only I added.
 */
export function mergeTags(base: string[], mine: string[], theirs: string[]): string[] {
  const removed = new Set([...base.filter((t) => !mine.includes(t)), ...base.filter((t) => !theirs.includes(t))]);
  const out = theirs.filter((t) => !removed.has(t));
  for (const t of mine) if (!removed.has(t) && !out.includes(t)) out.push(t);
  return out;
}

/** Three-way merge of a project's editable fields: base (what I started from), mine, theirs (current). */
export function threeWayMerge(base: ProjectSnapshot, mine: ProjectSnapshot, theirs: ProjectSnapshot): MergeResult {
  const merged = { ...theirs };
  const conflicts: FieldConflict[] = [];
  const taken: MergeResult["taken"] = {};
  for (const field of projectEditableFields) {
    const [b, m, t] = [base[field], mine[field], theirs[field]];
    if (same(m, t)) {
      if (!same(m, b)) taken[field] = "both";
    } else if (same(m, b)) {
      taken[field] = "theirs";
    } else if (same(t, b)) {
      (merged as Record<MergeField, unknown>)[field] = m;
      taken[field] = "mine";
    } else if (field === "tags") {
      merged.tags = mergeTags(base.tags, mine.tags, theirs.tags);
      taken.tags = "both";
    } else {
      conflicts.push({ field, base: b, mine: m, theirs: t } as FieldConflict);
    }
  }
  return { merged, conflicts, taken };
}

/** Applies the user's choice for each conflicting field. */
export function resolveMerge(result: MergeResult, choices: Partial<Record<MergeField, "mine" | "theirs">>): ProjectSnapshot {
  const out = { ...result.merged } as Record<MergeField, unknown>;
  for (const c of result.conflicts) out[c.field] = choices[c.field] === "mine" ? c.mine : c.theirs;
  return out as ProjectSnapshot;
}

/** The patch that turns `current` into `target` (only changed fields). */
export function patchBetween(current: ProjectSnapshot, target: ProjectSnapshot): Partial<ProjectSnapshot> {
  const patch: Partial<Record<MergeField, unknown>> = {};
  for (const field of projectEditableFields) if (!same(current[field], target[field])) patch[field] = target[field];
  return patch as Partial<ProjectSnapshot>;
}
