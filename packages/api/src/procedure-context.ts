import type { Principal } from "./auth/session.js";
import type { Context } from "./context.js";
import type { Actor, DomainContext, Publish } from "./domain/context.js";

/** The signed-in principal as a use case sees it. */
export function actorOf(principal: Principal): Actor {
  return {
    kind: "user",
    userId: principal.userId,
    role: principal.role,
    name: principal.name,
    email: principal.email,
    via: principal.kind === "token" ? "token" : "session",
  };
}

/**
 * The plain context a procedure hands its use case: the request's db (the idempotency
 * middleware's transaction when there is one), its principal as the actor, and the notify
 * middleware's after-commit `publish` (see middleware/notify.ts).
 */
export function domainContextOf(ctx: Context & { principal: Principal; publish: Publish }): DomainContext {
  return {
    db: ctx.db,
    kv: ctx.kv,
    actor: actorOf(ctx.principal),
    requestId: ctx.requestId,
    now: ctx.services.now,
    log: ctx.services.log,
    publish: ctx.publish,
    idempotencyKey: ctx.idempotencyKey,
  };
}
