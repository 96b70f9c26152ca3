import { idempotency } from "./middleware/idempotency.js";
import { requireRole, requireUser } from "./middleware/auth.js";
import { notifyChanges } from "./middleware/notify.js";
import { resolvePrecondition } from "./middleware/precondition.js";
import { publicProcedure } from "./trpc.js";

export { publicProcedure };
/** Reads: any signed-in user (viewer, editor, admin). */
export const authedProcedure = publicProcedure.use(requireUser);
/**
 * Writes: editors and admins, exactly once per Idempotency-Key. The idempotency middleware opens
 * the transaction and hands it down as ctx.db, so the handler's effects, its audit event and the
 * idempotency record commit together.
 */
export const writerProcedure = publicProcedure.use(requireRole("editor", "admin")).use(notifyChanges).use(idempotency);
/** Writes to a versioned record: ctx.precondition says which version the caller expects. */
export const versionedProcedure = writerProcedure.use(resolvePrecondition);
