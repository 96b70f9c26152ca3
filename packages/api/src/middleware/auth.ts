import type { UserRole } from "@trellis/db/constants";
import { DomainError } from "../errors.js";
import { middleware } from "../trpc.js";

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
