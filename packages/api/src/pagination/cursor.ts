import { z } from "zod";
import { DomainError } from "../errors.js";

/**
 * The one keyset-cursor codec. A cursor is opaque to clients: base64url of a small JSON value (the
 * position after the last row of a page). Each list gives its own zod schema for that JSON, which
 * decides what a valid position is and may turn it into the value the query needs (a Date, say).
 * Anything we did not issue (not base64url, not JSON, not the schema's shape, or not the exact
 * text we would have sent) is INVALID_CURSOR, a 400, never a 500.
 */
export interface CursorCodec<Position, Wire> {
  encode(position: Wire): string;
  decode(cursor: string): Position;
}

const DEFAULT_MESSAGE = "This cursor is invalid; start from the first page";

export function cursorCodec<S extends z.ZodType>(
  schema: S,
  { message = DEFAULT_MESSAGE }: { message?: string } = {},
): CursorCodec<z.output<S>, z.input<S>> {
  const invalid = () => new DomainError("INVALID_CURSOR", message, { fieldErrors: { cursor: ["Invalid cursor"] } });
  return {
    encode: (position) => Buffer.from(JSON.stringify(position)).toString("base64url"),
    decode(cursor) {
      const text = Buffer.from(cursor, "base64url").toString("utf8");
      // Node's base64url decoder skips what it cannot read: only the canonical text of the bytes
      // (which is what encode sends) stands for them.
      if (Buffer.from(text).toString("base64url") !== cursor) throw invalid();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw invalid();
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw invalid();
      return parsed.data;
    },
  };
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A timestamp in a cursor: only what Date#toISOString emits. Date.parse accepts far more than
 * Postgres does ("1", "March 7", Feb 30, year 0, expanded years), so nothing else may reach a query.
 */
export const cursorTimestamp = z.string().refine((value) => {
  if (!isoTimestamp.test(value) || value.startsWith("0000")) return false;
  const ms = Date.parse(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString() === value;
});
