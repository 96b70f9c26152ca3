import { createHash } from "node:crypto";
import { type z } from "zod";
import { canonicalJson } from "../../canonical-json.js";
import { projectIdSchema, projectPatchSchema, type ProjectPatch } from "../../routers/project/schemas.js";
import { splitTags } from "../../routers/project/export-schemas.js";
import type { ImportField, ImportMapping } from "../../routers/import/schemas.js";
import { invalidInput } from "./csv.js";
import { type CellResult, parseBudget, parseDate, parseStatus, parseVersion, textCell } from "./values.js";

// One CSV row -> the project fields it sets (validated with the patch schema), the key that
// identifies its project across runs, or its errors by column header.

/** The mapping as the row reader uses it: field -> column index and header. */
export interface ColumnPlan {
  columns: Partial<Record<ImportField, { index: number; header: string }>>;
  /** Fingerprint of the mapping, part of a content-hash key. */
  fingerprint: string;
}

/**
 * Checks a mapping against the file's headers: every header it names exists, no field has two
 * columns. Headers it leaves out are ignored. A wrong mapping is the caller's mistake: a 400.
 */
export function planColumns(headers: readonly string[], mapping: ImportMapping): ColumnPlan {
  const columns: ColumnPlan["columns"] = {};
  for (const [header, field] of Object.entries(mapping)) {
    const index = headers.indexOf(header);
    if (index === -1) throw invalidInput(`The mapping names a column the file does not have: "${header}"`, ["mapping", header]);
    if (field === "ignore") continue;
    const taken = columns[field];
    if (taken) throw invalidInput(`Both "${taken.header}" and "${header}" are mapped to ${field}; map one of them to "ignore"`, ["mapping", header]);
    columns[field] = { index, header };
  }
  if (!columns.name && !columns.id && !columns.externalId) {
    throw invalidInput("Map a column to name (or to id/externalId, to update existing projects)", ["mapping"]);
  }
  const fingerprint = canonicalJson(Object.fromEntries(Object.entries(columns).map(([f, c]) => [f, c.header])));
  return { columns, fingerprint };
}

/** The fields a row sets, as project.update's patch (with the owner's email still to resolve). */
export type RowValues = ProjectPatch;

export type ReadRow =
  | { ok: true; key: string; values: RowValues; ownerEmail?: string; id?: string; version?: number; hashBase?: string }
  | { ok: false; fieldErrors?: Record<string, string[]>; formErrors?: string[] };

/**
 * Reads one row. Empty cells: description "" , tags none, budget and due date none (cleared);
 * an empty status or owner sets nothing (a new project gets the defaults, an existing one keeps
 * its own). `ownerId` is filled in by the caller from `ownerEmail`. The key (see rowKey) is
 * provisional for hash keys: the caller adds the occurrence count.
 */
export function readRow(plan: ColumnPlan, cells: readonly string[], headerCount: number): ReadRow {
  if (cells.length !== headerCount) {
    return { ok: false, formErrors: [`Expected ${headerCount} cells (one per column), found ${cells.length}`] };
  }
  const fieldErrors: Record<string, string[]> = {};
  const cell = (f: ImportField) => {
    const c = plan.columns[f];
    return c === undefined ? undefined : (cells[c.index] ?? "");
  };
  const take = <T>(f: ImportField, result: CellResult<T>): T | undefined => {
    if (result.ok) return result.value;
    fieldErrors[plan.columns[f]?.header ?? f] = [result.message];
    return undefined;
  };
  const values: Record<string, unknown> = {};
  const name = cell("name");
  if (name !== undefined) values.name = textCell(name);
  const description = cell("description");
  if (description !== undefined) values.description = textCell(description);
  const status = cell("status")?.trim();
  if (status) values.status = take("status", parseStatus(status));
  const tags = cell("tags");
  if (tags !== undefined) values.tags = splitTags(textCell(tags));
  const budget = cell("budget")?.trim();
  if (budget !== undefined) values.budgetCents = budget === "" ? null : take("budget", parseBudget(budget));
  const due = cell("dueDate")?.trim();
  if (due !== undefined) values.dueDate = due === "" ? null : take("dueDate", parseDate(due));
  const ownerEmail = cell("owner")?.trim().toLowerCase() || undefined;
  const externalId = cell("externalId")?.trim() || undefined;
  const idCell = cell("id")?.trim() || undefined;
  const id = idCell === undefined ? undefined : take("id", projectIdSchema.safeParse(idCell).success ? { ok: true, value: idCell.toLowerCase() } : { ok: false, message: "Must be a project id (UUID)" });
  const versionCell = cell("version")?.trim() || undefined;
  const version = versionCell === undefined ? undefined : take("version", parseVersion(versionCell));

  // The same schema as project.update, on the fields this row sets.
  const parsed = projectPatchSchema.safeParse(Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)));
  if (!parsed.success) addIssues(fieldErrors, parsed.error, plan);
  if (Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  const patch = parsed.data as RowValues;

  if (externalId !== undefined) return { ok: true, key: `ext:${externalId}`, values: patch, ownerEmail, id, version };
  if (id !== undefined) return { ok: true, key: `id:${id}`, values: patch, ownerEmail, id, version };
  // No identity of its own: the row's mapped cells under this mapping (the caller counts repeats).
  const content = Object.entries(plan.columns)
    .filter(([f]) => f !== "version")
    .map(([f, c]) => [f, (cells[c.index] ?? "").trim()]);
  const hashBase = canonicalJson({ mapping: plan.fingerprint, content });
  return { ok: true, key: "", values: patch, ownerEmail, version, hashBase };
}

/**
 * A content-hash key: the row's cells and the mapping, and how many identical rows came before it
 * in the file, so two identical rows are two projects and a re-run finds both again.
 */
export function hashKey(hashBase: string, occurrence: number): string {
  return `hash:${createHash("sha256").update(`${hashBase}\u0000${occurrence}`).digest("hex")}`;
}

const fieldOf: Record<string, ImportField> = { budgetCents: "budget", ownerId: "owner" };

/** Zod issues (paths like ["tags", 3]) -> messages under the header of the column they came from. */
export function addIssues(into: Record<string, string[]>, error: z.ZodError, plan: ColumnPlan): void {
  for (const issue of error.issues) {
    const top = String(issue.path[0] ?? "");
    const field = (fieldOf[top] ?? top) as ImportField;
    const header = plan.columns[field]?.header ?? top;
    (into[header] ??= []).push(issue.message);
  }
}
