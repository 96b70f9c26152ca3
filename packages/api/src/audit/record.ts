import { type AuthAction, authEvents, type Db } from "@trellis/db";

export interface AuthEventInput {
  actorId: string | null;
  action: AuthAction;
  targetType?: "user" | "token" | "session";
  targetId?: string;
  details?: Record<string, unknown>;
}

/**
 * Appends one auth_events row. Pass the transaction that makes the change, so the event commits
 * with it (or not at all).
 */
export async function recordAuthEvent(
  db: Db,
  request: { requestId: string; clientIp?: string | undefined },
  event: AuthEventInput,
): Promise<void> {
  await db.insert(authEvents).values({
    actorId: event.actorId,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    ip: request.clientIp ?? null,
    requestId: request.requestId,
    details: event.details ?? {},
  });
}
