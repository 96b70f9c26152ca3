import { createHash, createHmac } from "node:crypto";
import { canonicalJson, NestingTooDeepError } from "../canonical-json.js";
import { DomainError } from "../errors.js";

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
  try {
    return createHash("sha256").update(canonicalJson(withKeyedSecrets(input, secrets))).digest("hex");
  } catch (error) {
    // The raw input arrives before validation: absurd nesting is the caller's mistake, a 400.
    if (error instanceof NestingTooDeepError) {
      throw new DomainError("VALIDATION_FAILED", "Input is nested too deeply", { formErrors: [error.message] });
    }
    throw error;
  }
}

function withKeyedSecrets(input: unknown, secrets: SecretFields | undefined): unknown {
  if (!secrets?.fields.length || !input || typeof input !== "object" || Array.isArray(input)) return input;
  const record = input as Record<string, unknown>;
  const keyed = secrets.fields
    .filter((f) => Object.hasOwn(record, f))
    .map((f) => [f, `hmac:${createHmac("sha256", secrets.key).update(`${f}\0${canonicalJson(record[f])}`).digest("hex")}`]);
  return keyed.length ? { ...record, ...Object.fromEntries(keyed) } : input;
}
