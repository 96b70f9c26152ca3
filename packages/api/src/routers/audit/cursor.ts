import { DomainError } from "../../errors.js";

/** A position in the merged audit log: (time, source, id), newest first. */
export interface AuditPosition {
  createdAt: Date;
  source: "auth" | "project";
  id: number;
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeAuditCursor(p: AuditPosition): string {
  return Buffer.from(JSON.stringify([p.createdAt.toISOString(), p.source, p.id])).toString("base64url");
}

/** Only cursors we issued decode; anything else is a 400, never a 500. */
export function decodeAuditCursor(cursor: string): AuditPosition {
  const invalid = () =>
    new DomainError("INVALID_CURSOR", "This cursor is invalid; start from the first page", { fieldErrors: { cursor: ["Invalid cursor"] } });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw invalid();
  const [time, source, id] = parsed as unknown[];
  if (typeof time !== "string" || !isoTimestamp.test(time) || time.startsWith("0000")) throw invalid();
  const createdAt = new Date(time);
  if (Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== time) throw invalid();
  if (source !== "auth" && source !== "project") throw invalid();
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1) throw invalid();
  return { createdAt, source, id };
}
