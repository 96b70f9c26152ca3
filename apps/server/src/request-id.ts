import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * A caller's X-Request-Id is honoured only in a bounded, inert form: 1–64 characters of letters,
 * digits and `. _ : -`, starting with a letter or digit. So it cannot start a spreadsheet formula
 * (`=`, `+`, `-`, `@`, `'`), carry quotes, spaces or control characters into logs and the audit
 * CSV, or flood them. Anything else is replaced by a generated UUID (no error: tracing is a courtesy).
 */
const acceptable = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && acceptable.test(given) ? given : randomUUID();
}
