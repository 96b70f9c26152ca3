import {
  type MergeField,
  type MergeResult,
  patchBetween,
  type Project,
  type ProjectPatch,
  type ProjectSnapshot,
  resolveMerge,
  projectEditableFields,
  threeWayMerge,
} from "@trellis/api/schemas";
import { sameValue } from "./changes";

export type MergeChoice = "mine" | "theirs";
export type MergeChoices = Partial<Record<MergeField, MergeChoice>>;

/**
 * How one field came out of the merge:
 * - `unchanged`: neither side changed it;
 * - `mine` / `theirs`: only that side changed it, so that side's value is taken;
 * - `same`: both sides made the same change;
 * - `tags`: both changed the tags; they merge as a set (additions from both, removals from both);
 * - `conflict`: both changed it, differently: the user chooses.
 */
export type MergeOutcome = "unchanged" | "mine" | "theirs" | "same" | "tags" | "conflict";

export interface MergeRow {
  field: MergeField;
  base: unknown;
  mine: unknown;
  theirs: unknown;
  outcome: MergeOutcome;
  /** The merged value; for a conflict, theirs until the user chooses. */
  merged: unknown;
}

export interface MergeView {
  /** The version the failed write was based on (the form's base, or the previous merge's theirs). */
  base: Project;
  /** What the user wanted to write, as full field values. */
  mine: ProjectSnapshot;
  /** The project as it is now on the server. */
  theirs: Project;
  result: MergeResult;
  /** Every editable field, in form order. */
  rows: MergeRow[];
  /** The fields to ask about, in form order. */
  conflicts: MergeField[];
}

/** A project's editable fields. */
export function projectSnapshot(project: ProjectSnapshot): ProjectSnapshot {
  return Object.fromEntries(projectEditableFields.map((field) => [field, project[field]])) as ProjectSnapshot;
}

/** The full field values a patch against `base` stands for. */
export function applyPatch(base: ProjectSnapshot, patch: ProjectPatch): ProjectSnapshot {
  const out = projectSnapshot(base) as Record<MergeField, unknown>;
  for (const field of projectEditableFields) {
    if (patch[field] !== undefined) out[field] = patch[field];
  }
  return out as ProjectSnapshot;
}

export function buildMergeView(base: Project, mine: ProjectSnapshot, theirs: Project): MergeView {
  const result = threeWayMerge(projectSnapshot(base), projectSnapshot(mine), projectSnapshot(theirs));
  const conflicting = new Set(result.conflicts.map((c) => c.field));
  const rows = projectEditableFields.map((field): MergeRow => {
    const taken = result.taken[field];
    const outcome: MergeOutcome = conflicting.has(field)
      ? "conflict"
      : taken === undefined
        ? "unchanged"
        : taken === "both"
          ? sameValue(mine[field], theirs[field])
            ? "same"
            : "tags"
          : taken;
    return { field, base: base[field], mine: mine[field], theirs: theirs[field], outcome, merged: result.merged[field] };
  });
  return { base, mine: projectSnapshot(mine), theirs, result, rows, conflicts: projectEditableFields.filter((f) => conflicting.has(f)) };
}

export type MergedSave =
  /** Some conflicts are not decided yet. */
  | { ok: false; undecided: MergeField[] }
  /**
   * `resolved`: the fields to end up with; `patch`: what turns theirs into it (empty when theirs
   * already is the result), to be sent with `expectedVersion = theirs.version`.
   */
  | { ok: true; resolved: ProjectSnapshot; patch: ProjectPatch; expectedVersion: number };

export function mergedSave(view: MergeView, choices: MergeChoices): MergedSave {
  const undecided = view.conflicts.filter((field) => choices[field] === undefined);
  if (undecided.length > 0) return { ok: false, undecided };
  const resolved = resolveMerge(view.result, choices);
  const patch = patchBetween(projectSnapshot(view.theirs), resolved) as ProjectPatch;
  return { ok: true, resolved, patch, expectedVersion: view.theirs.version };
}
