import { z } from "zod";
import { cursorCodec, cursorTimestamp } from "../../pagination/cursor.js";
import { type ProjectSort, projectSorts } from "./schemas.js";

/** A keyset position: the sort key's value and the id that breaks ties. */
export interface ListPosition {
  value: string;
  id: string;
}

// Postgres text cannot hold NUL; a timestamp must be one Postgres parses as we meant it.
const nameValue = z.string().refine((v) => !v.includes("\u0000"));

/** On the wire: [sort, value, id]. A cursor only decodes for the sort that issued it. */
const codecFor = (sort: ProjectSort) =>
  cursorCodec(z.tuple([z.literal(sort), sort.startsWith("name") ? nameValue : cursorTimestamp, z.guid()]), {
    message: "This cursor is invalid or belongs to another sort; start from the first page",
  });
const codecs = Object.fromEntries(projectSorts.map((sort) => [sort, codecFor(sort)])) as Record<ProjectSort, ReturnType<typeof codecFor>>;

export function encodeCursor(sort: ProjectSort, position: ListPosition): string {
  return codecs[sort].encode([sort, position.value, position.id]);
}

/** Cursors are opaque to clients; anything we did not issue for this sort is a 400, not a 500. */
export function decodeCursor(sort: ProjectSort, cursor: string): ListPosition {
  const [, value, id] = codecs[sort].decode(cursor);
  return { value, id };
}
