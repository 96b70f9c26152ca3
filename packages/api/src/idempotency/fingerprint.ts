import { createHash, createHmac } from "node:crypto";
import { DomainError } from "../errors.js";

/** Far deeper than any procedure's input; deep enough input is refused before it can overflow the stack. */
const MAX_DEPTH = 64;

/** JSON with object keys sorted at every depth, so key order and whitespace never matter. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value, 0)) ?? "null";
}

// The raw input arrives before validation, so anything superjson can produce must not throw here
// (each of these was a 500, found by the fuzz test): an Invalid Date, a BigInt, a `__proto__` key,
// nesting deep enough to overflow the stack.
function sortKeys(value: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) {
    throw new DomainError("VALIDATION_FAILED", "Input is nested too deeply", { formErrors: [`Nested more than ${MAX_DEPTH} levels deep`] });
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map((v) => sortKeys(v, depth + 1));
  if (value && typeof value === "object") {
    const entries: Array<[string, unknown]> = [];
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) entries.push([k, sortKeys(v, depth + 1)]);
    }
    // fromEntries keeps `__proto__` as a key (an assignment would set the prototype instead).
    return Object.fromEntries(entries);
  }
  return value;
}

/** Which top-level input fields are secrets (Meta.secretInput), and the server secret that keys them. */
export interface SecretFields {
  fields: readonly string[];
  key: string;
}

/**
 * SHA-256 of the canonical input, stored beside the outcome. A fast hash of a password could be
 * guessed offline by anyone who reads the table, the WAL or a backup, so secret fields are
 * replaced by an HMAC under the server secret first: equal inputs still match, nothing can be
 * guessed without the secret. (Other fields stay plainly hashed, so rotating the secret only
 * affects replays of calls that carry secrets.)
 */
export function fingerprintOf(input: unknown, secrets?: SecretFields): string {
  return createHash("sha256").update(canonicalJson(withKeyedSecrets(input, secrets))).digest("hex");
}

function withKeyedSecrets(input: unknown, secrets: SecretFields | undefined): unknown {
  if (!secrets?.fields.length || !input || typeof input !== "object" || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  const keyed = secrets.fields
    .filter((f) => Object.hasOwn(record, f))
    .map((f) => [f, `hmac:${createHmac("sha256", secrets.key).update(`${f}\0${canonicalJson(record[f])}`).digest("hex")}`]);
  return keyed.length ? { ...record, ...Object.fromEntries(keyed) } : input;
}
