import { tokenScopes } from "@trellis/db/constants";
import { z } from "zod";

export const tokenScopeSchema = z.enum(tokenScopes);

export const createTokenInput = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "Name the token after what uses it")
    .max(100, "At most 100 characters")
    .refine((s) => !s.includes("\u0000"), "Must not contain a NUL character"),
  scope: tokenScopeSchema,
  expiresInDays: z.number().int("Whole days").min(1, "At least 1 day").max(365, "At most 365 days"),
});
export type CreateTokenInput = z.input<typeof createTokenInput>;

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The token's first characters, e.g. `trellis_pat_AbC123`, to tell tokens apart. */
  prefix: z.string(),
  scope: tokenScopeSchema,
  createdAt: z.date(),
  expiresAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const createTokenOutput = apiTokenSchema.extend({
  /**
   * The secret, shown this once; only its hash is kept. null when this answer is a replay of an
   * earlier request with the same Idempotency-Key (the secret is never stored for replays).
   */
  token: z.string().nullable(),
});

export const tokenIdInput = z.strictObject({ id: z.uuid({ message: "Must be a token id (UUID)" }) });
