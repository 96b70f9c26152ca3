import { userRoles } from "@trellis/db/constants";
import { z } from "zod";

export const userIdInput = z.strictObject({ id: z.uuid({ message: "Must be a user id (UUID)" }) });

export const adminUserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(userRoles),
  createdAt: z.date(),
  deactivatedAt: z.date().nullable(),
  /** The latest activity of any of the user's sessions (as fresh as the credential cache). */
  lastSeenAt: z.date().nullable(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;

export const listUsersInput = z.strictObject({
  limit: z.number().int().min(1).max(500, "At most 500 per page").default(50),
  cursor: z.string().max(512).optional(),
  /** Sent by tRPC infinite queries; these lists only page forward. */
  direction: z.enum(["forward", "backward"]).optional(),
});
export const listUsersOutput = z.object({ items: z.array(adminUserSchema), nextCursor: z.string().nullable() });

export const inviteUserInput = z.strictObject({
  email: z.email("Enter a valid email address").max(320),
  name: z
    .string()
    .trim()
    .min(1, "Name is required")
    .max(200, "At most 200 characters")
    .refine((s) => !s.includes("\u0000"), "Must not contain a NUL character"),
  role: z.enum(userRoles),
});
export type InviteUserInput = z.input<typeof inviteUserInput>;

export const inviteUserOutput = z.object({
  user: adminUserSchema,
  /**
   * A random password for the first sign-in, shown this once: pass it on privately and ask them to
   * change it. null on a replay of the same Idempotency-Key (it is never stored).
   */
  temporaryPassword: z.string().nullable(),
});

export const setRoleInput = z.strictObject({ id: userIdInput.shape.id, role: z.enum(userRoles) });

export const revokeSessionsOutput = z.object({ revoked: z.number().int() });
