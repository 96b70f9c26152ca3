import { DomainError } from "../errors.js";

// 1–255 printable ASCII characters (space through tilde), as the API documents.
const validKey = /^[\x20-\x7e]{1,255}$/;

export function assertValidKey(key: string): void {
  if (!validKey.test(key)) {
    throw new DomainError("IDEMPOTENCY_KEY_INVALID", "Idempotency-Key must be 1–255 printable ASCII characters", {
      fieldErrors: { "Idempotency-Key": ["Use 1–255 printable ASCII characters, e.g. a UUID"] },
    });
  }
}
