import { type ProjectAction, type ProjectEditableField, projectEditableFields, type ProjectSort, type ProjectStatus, type UserRole } from "@trellis/api/schemas";
import { formatDate, formatDateTime } from "../../../lib/dates";
import { formatCents } from "./money";

export const statusLabels: Record<ProjectStatus, string> = {
  planning: "Planning",
  active: "Active",
  on_hold: "On hold",
  completed: "Completed",
  cancelled: "Cancelled",
};

export const actionLabels: Record<ProjectAction, string> = {
  created: "Created",
  updated: "Updated",
  archived: "Archived",
  restored: "Restored",
  reverted: "Reverted",
};

export const sortLabels: Record<ProjectSort, string> = {
  createdAt_desc: "Newest first",
  createdAt_asc: "Oldest first",
  updatedAt_desc: "Recently updated",
  name_asc: "Name A–Z",
  name_desc: "Name Z–A",
};

/** Viewers read; editors and admins write (the server enforces this, the UI just hides what would fail). */
export function canWrite(role: UserRole): boolean {
  return role === "editor" || role === "admin";
}

// Every editable field has a label: a new field fails to compile until it gets one.
const fieldLabels: Record<ProjectEditableField | "archivedAt", string> = {
  name: "Name",
  description: "Description",
  status: "Status",
  ownerId: "Owner",
  tags: "Tags",
  budgetCents: "Budget",
  dueDate: "Due date",
  archivedAt: "Archived",
};

const fieldOrder: readonly string[] = [...projectEditableFields, "archivedAt"];
// A Map, so a field named like an Object.prototype member ("constructor") is not "labelled".
const labelOf = new Map<string, string>(Object.entries(fieldLabels));

/** Audit changes come back in storage order; show them in form order instead. */
export function inFieldOrder<T>(entries: Array<[string, T]>): Array<[string, T]> {
  const rank = (field: string) => (fieldOrder.includes(field) ? fieldOrder.indexOf(field) : fieldOrder.length);
  return [...entries].sort(([a], [b]) => rank(a) - rank(b));
}

export function fieldLabel(field: string): string {
  return labelOf.get(field) ?? field;
}

/**
 * One before/after value of an audit event, readable. Values arrive as stored JSON. Events store
 * an owner's id only: `ownerNames` (id -> name, e.g. from user.list) names them where it can.
 */
export function formatChangeValue(field: string, value: unknown, ownerNames?: ReadonlyMap<string, string>): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "budgetCents" && typeof value === "number") return formatCents(value);
  if (field === "status" && typeof value === "string" && value in statusLabels) return statusLabels[value as ProjectStatus];
  if (field === "dueDate" && typeof value === "string") return formatDate(value);
  // Without a name, a short form of the id is enough to tell owners apart.
  if (field === "ownerId" && typeof value === "string") return ownerNames?.get(value) ?? `${value.slice(0, 8)}…`;
  if (field === "archivedAt" && (typeof value === "string" || value instanceof Date)) return formatDateTime(value);
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.join(", ");
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 77)}…` : value;
  return JSON.stringify(value);
}
