import type { TokenScope } from "@trellis/api/schemas";

export const scopeLabels: Record<TokenScope, string> = {
  read: "Read only",
  "read+write": "Read and write",
};

/** A token's state for people: active, expired or revoked. */
export function tokenStatus(token: { expiresAt: Date; revokedAt: Date | null }, now: Date): "active" | "expired" | "revoked" {
  if (token.revokedAt) return "revoked";
  return token.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
}
