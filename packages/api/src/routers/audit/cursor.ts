import { z } from "zod";
import { cursorCodec, cursorTimestamp } from "../../pagination/cursor.js";

/** A position in the merged audit log: (time, source, id), newest first. */
export interface AuditPosition {
  createdAt: Date;
  source: "auth" | "project";
  id: number;
}

/** On the wire: [time, source, id]. */
const codec = cursorCodec(
  z
    .tuple([cursorTimestamp, z.enum(["auth", "project"]), z.number().int().min(1).max(Number.MAX_SAFE_INTEGER)])
    .transform(([time, source, id]): AuditPosition => ({ createdAt: new Date(time), source, id })),
);

export function encodeAuditCursor(p: AuditPosition): string {
  return codec.encode([p.createdAt.toISOString(), p.source, p.id]);
}

/** Only cursors we issued decode; anything else is a 400, never a 500. */
export function decodeAuditCursor(cursor: string): AuditPosition {
  return codec.decode(cursor);
}
