import { idempotency } from "./middleware/idempotency.js";
import { inputBounds } from "./middleware/input-bounds.js";
import { enforceTokenScope, requireRole, requireSession, requireUser } from "./middleware/auth.js";
import { notifyChanges } from "./middleware/notify.js";
import { resolvePrecondition } from "./middleware/precondition.js";
import { rateLimit } from "./middleware/rate-limit.js";
import { publicProcedure as baseProcedure } from "./trpc.js";

/**
 * Anyone, within a budget: the principal's (resolved from cookie or bearer token by the context)
 * or, signed out, the client IP's. Every builder below starts here, so a refused call never
 * reaches role checks, idempotency or the handler. A read-scoped API token may call no mutation.
 */
export const publicProcedure = baseProcedure.use(rateLimit).use(inputBounds).use(enforceTokenScope);
/** Reads: any signed-in user (viewer, editor, admin). */
export const authedProcedure = publicProcedure.use(requireUser);
/**
 * Writes: editors and admins, exactly once per Idempotency-Key. The idempotency middleware opens
 * the transaction and hands it down as ctx.db, so the handler's effects, its audit event and the
 * idempotency record commit together. Every write builder has notifyChanges outside it: what a use
 * case publishes (ctx.publish) is sent after that commit.
 */
export const writerProcedure = publicProcedure.use(requireRole("editor", "admin")).use(notifyChanges).use(idempotency);
/** Writes to a versioned record: ctx.precondition says which version the caller expects. */
export const versionedProcedure = writerProcedure.use(resolvePrecondition);
/** Admin-only reads (user management, the audit log). */
export const adminProcedure = authedProcedure.use(requireRole("admin"));
/**
 * Admin-only writes (user management), exactly once per Idempotency-Key, from a browser session
 * only: a leaked admin API token cannot invite another admin or lock the owner out.
 */
export const adminWriterProcedure = publicProcedure.use(requireRole("admin")).use(requireSession).use(notifyChanges).use(idempotency);
/**
 * Changes to the caller's own credentials (password, API tokens), for any role but only from a
 * browser session (never an API token), exactly once per Idempotency-Key.
 */
export const credentialProcedure = authedProcedure.use(requireSession).use(notifyChanges).use(idempotency);
