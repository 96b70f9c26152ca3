import type { UserRole } from "@trellis/db/constants";
import { DomainError } from "../errors.js";
import { middleware } from "../trpc.js";

/**
 * Who may call what is decided here and nowhere else: sign-in, roles, API token scopes, and which
 * calls need a browser session. The procedure builders in procedures.ts compose these.
 */

/** Any signed-in user. Narrows ctx.principal to non-null for the procedures below. */
export const requireUser = middleware(({ ctx, next }) => {
  if (!ctx.principal) throw new DomainError("SIGNED_OUT", "Sign in to continue");
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});

/** Roles are checked here and nowhere else. */
export function requireRole(...roles: UserRole[]) {
  return middleware(({ ctx, next }) => {
    if (!ctx.principal) throw new DomainError("SIGNED_OUT", "Sign in to continue");
    if (!roles.includes(ctx.principal.role)) {
      throw new DomainError("INSUFFICIENT_ROLE", `This action needs one of the roles: ${roles.join(", ")}`);
    }
    return next({ ctx: { ...ctx, principal: ctx.principal } });
  });
}

/**
 * API token scopes, on every procedure: a `read` token may call queries and subscriptions only;
 * any mutation is FORBIDDEN (403), whatever its user's role. (A token can never do more than its
 * user: roles still apply to `read+write` tokens.)
 */
export const enforceTokenScope = middleware(({ ctx, next, type }) => {
  const p = ctx.principal;
  if (type === "mutation" && p?.kind === "token" && p.scope !== "read+write") {
    throw new DomainError("INSUFFICIENT_SCOPE", "This API token is read-only; use a read+write token to make changes");
  }
  return next();
});

/**
 * Calls that manage credentials (password, API tokens) need a browser session: a leaked API token
 * cannot mint more tokens, revoke the owner's, or change the password.
 */
export const requireSession = middleware(({ ctx, next }) => {
  if (!ctx.principal) throw new DomainError("SIGNED_OUT", "Sign in to continue");
  if (ctx.principal.kind === "token") {
    throw new DomainError("SESSION_REQUIRED", "Sign in to the dashboard to do this; API tokens cannot manage credentials");
  }
  return next({ ctx: { ...ctx, principal: ctx.principal } });
});
