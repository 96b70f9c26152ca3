import { z } from "zod";
import { userSchema } from "../user/schemas.js";

export const loginInput = z.strictObject({
  email: z.email("Enter a valid email address").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
});
export type LoginInput = z.infer<typeof loginInput>;

export const loginOutput = z.object({ token: z.string(), expiresAt: z.date(), user: userSchema });
export const meOutput = userSchema;
export { userSchema };

/** Passwords people choose: long enough to resist guessing, short enough to hash cheaply. */
export const newPasswordSchema = z
  .string()
  .min(12, "Use at least 12 characters")
  .max(256, "At most 256 characters")
  .refine((p) => !p.includes("\u0000"), "Must not contain a NUL character");

export const changePasswordInput = z
  .strictObject({
    currentPassword: z.string().min(1, "Enter your current password").max(1024),
    newPassword: newPasswordSchema,
  })
  .refine((v) => v.newPassword !== v.currentPassword, { path: ["newPassword"], message: "Choose a password different from the current one" });
export type ChangePasswordInput = z.infer<typeof changePasswordInput>;

export const changePasswordOutput = z.object({
  ok: z.literal(true),
  /** How many of your other sessions (other browsers) were signed out. API tokens keep working. */
  sessionsRevoked: z.number().int(),
});
