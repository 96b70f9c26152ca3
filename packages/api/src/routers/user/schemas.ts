import { userRoles } from "@trellis/db/constants";
import { z } from "zod";

export const userSummarySchema = z.object({ id: z.uuid(), name: z.string(), role: z.enum(userRoles) });
export type UserSummary = z.infer<typeof userSummarySchema>;

/** A user as they see themselves (sign-in, me). */
export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(userRoles),
});
