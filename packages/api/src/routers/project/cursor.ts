import { DomainError } from "../../errors.js";
import type { ProjectSort } from "./schemas.js";

/** A keyset position: the sort key's value and the id that breaks ties. */
export interface ListPosition {
  value: string;
  id: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Only what encodeCursor emits (Date#toISOString): Date.parse accepts far more than Postgres ("1", "March 7", Feb 30). */
function isCursorTimestamp(value: string): boolean {
  if (!isoTimestamp.test(value) || value.startsWith("0000")) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
}

export function encodeCursor(sort: ProjectSort, position: ListPosition): string {
  return Buffer.from(JSON.stringify([sort, position.value, position.id])).toString("base64url");
}

/** Cursors are opaque to clients; anything we did not issue for this sort is a 400, not a 500. */
export function decodeCursor(sort: ProjectSort, cursor: string): ListPosition {
  const invalid = () =>
    new DomainError("INVALID_CURSOR", "This cursor is invalid or belongs to another sort; start from the first page", {
      fieldErrors: { cursor: ["Invalid cursor"] },
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [s, value, id] = parsed as unknown[];
  if (s !== sort || typeof value !== "string" || typeof id !== "string" || !uuid.test(id)) throw invalid();
  // Postgres text cannot hold NUL; a timestamp must be one Postgres parses as we meant it.
  if (sort.startsWith("name") ? value.includes("\u0000") : !isCursorTimestamp(value)) throw invalid();
  return { value, id };
}
