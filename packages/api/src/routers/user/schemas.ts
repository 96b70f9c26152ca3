import { userRoles } from "@trellis/db/constants";
import { z } from "zod";

export const userSummarySchema = z.object({ id: z.uuid(), name: z.string(), role: z.enum(userRoles) });
export type UserSummary = z.infer<typeof userSummarySchema>;
