import { createHash, randomBytes } from "node:crypto";

/** Every API token starts with this, so it is never mistaken for a session token (and secret scanners can spot it). */
export const API_TOKEN_PREFIX = "trellis_pat_";

export function isApiToken(token: string): boolean {
  return token.startsWith(API_TOKEN_PREFIX);
}

/**
 * The stored form of a token. SHA-256 suffices: the secret is 256 random bits, so there is nothing
 * to guess or brute-force, unlike a password (which is why passwords get argon2id). A fast,
 * deterministic hash also lets a request find its token by an indexed lookup.
 */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token: the secret (shown once), its hash (stored) and a prefix to tell tokens apart in lists. */
export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, API_TOKEN_PREFIX.length + 6) };
}
