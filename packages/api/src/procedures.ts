import { requireRole, requireUser } from "./middleware/auth.js";
import { publicProcedure } from "./trpc.js";

export { publicProcedure };
/** Reads: any signed-in user (viewer, editor, admin). */
export const authedProcedure = publicProcedure.use(requireUser);
/** Writes: editors and admins. */
export const writerProcedure = publicProcedure.use(requireRole("editor", "admin"));
