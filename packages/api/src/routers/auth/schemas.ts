import { z } from "zod";
import { userSchema } from "../project/schemas.js";

export const loginInput = z.strictObject({
  email: z.email("Enter a valid email address").max(320),
  password: z.string().min(1, "Enter your password").max(1024),
});
export type LoginInput = z.infer<typeof loginInput>;

export const loginOutput = z.object({ token: z.string(), expiresAt: z.date(), user: userSchema });
export const meOutput = userSchema;
export { userSchema };
