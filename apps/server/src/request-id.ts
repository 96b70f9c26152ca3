import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

// A caller's id is honoured only if it is short and printable, so logs stay safe to read.
const acceptable = /^[\x21-\x7e]{1,128}$/;

export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && acceptable.test(given) ? given : randomUUID();
}
