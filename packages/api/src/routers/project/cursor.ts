import { DomainError } from "../../errors.js";
import type { ProjectSort } from "./schemas.js";

/** A keyset position: the sort key's value and the id that breaks ties. */
export interface ListPosition {
  value: string;
  id: string;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
  if (!sort.startsWith("name") && Number.isNaN(Date.parse(value))) throw invalid();
  return { value, id };
}
