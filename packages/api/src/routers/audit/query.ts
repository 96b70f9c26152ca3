import { authEvents, type Db, projectEvents, projects, users } from "@trellis/db";
import { authActions, projectActions } from "@trellis/db/constants";
import { and, desc, eq, gte, lt, lte, or } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { type AuditPosition, decodeAuditCursor, encodeAuditCursor } from "./cursor.js";
import type { AuditEntry, AuditFilter } from "./schemas.js";

const isAuthAction = (a: string): a is (typeof authActions)[number] => (authActions as readonly string[]).includes(a);
const isProjectAction = (a: string): a is (typeof projectActions)[number] => (projectActions as readonly string[]).includes(a);

/**
 * Rows of one source that come after `cursor` in the merged order (createdAt desc, source desc, id
 * desc). Within a source that is a plain keyset condition on (created_at, id); across sources it
 * only depends on the time, so each source's query stays on its (created_at, id) index.
 */
function after(cursor: AuditPosition | undefined, source: AuditPosition["source"], t: { createdAt: AnyPgColumn; id: AnyPgColumn }) {
  if (!cursor) return undefined;
  if (source === cursor.source) return or(lt(t.createdAt, cursor.createdAt), and(eq(t.createdAt, cursor.createdAt), lt(t.id, cursor.id)));
  // "project" sorts before "auth" at equal times (source desc).
  return source < cursor.source ? lte(t.createdAt, cursor.createdAt) : lt(t.createdAt, cursor.createdAt);
}

function labelFrom(details: Record<string, unknown>): string | null {
  for (const key of ["email", "name"]) if (typeof details[key] === "string") return details[key];
  return null;
}

/**
 * One page of the audit log: auth_events and project_events merged by time. Each source is read
 * with its own keyset query (limit + 1 rows, on its (created_at, id) or (actor_id|action,
 * created_at, id) index) and the two are merged here; a filter on an action of one source skips the
 * other. Cost stays flat as the tables grow.
 */
export async function auditPage(db: Db, filter: AuditFilter, limit: number, cursor: string | undefined) {
  const position = cursor === undefined ? undefined : decodeAuditCursor(cursor);
  const wantAuth = !filter.action || isAuthAction(filter.action);
  const wantProject = !filter.action || isProjectAction(filter.action);

  const authRows = wantAuth
    ? await db
        .select({
          id: authEvents.id,
          action: authEvents.action,
          actorId: authEvents.actorId,
          actorName: users.name,
          actorEmail: users.email,
          targetType: authEvents.targetType,
          targetId: authEvents.targetId,
          ip: authEvents.ip,
          requestId: authEvents.requestId,
          details: authEvents.details,
          createdAt: authEvents.createdAt,
        })
        .from(authEvents)
        .leftJoin(users, eq(users.id, authEvents.actorId))
        .where(
          and(
            filter.actorId ? eq(authEvents.actorId, filter.actorId) : undefined,
            filter.action && isAuthAction(filter.action) ? eq(authEvents.action, filter.action) : undefined,
            filter.from ? gte(authEvents.createdAt, filter.from) : undefined,
            filter.to ? lt(authEvents.createdAt, filter.to) : undefined,
            after(position, "auth", authEvents),
          ),
        )
        .orderBy(desc(authEvents.createdAt), desc(authEvents.id))
        .limit(limit + 1)
    : [];

  const projectRows = wantProject
    ? await db
        .select({
          id: projectEvents.id,
          action: projectEvents.action,
          actorId: projectEvents.actorId,
          actorName: users.name,
          actorEmail: users.email,
          projectId: projectEvents.projectId,
          projectName: projects.name,
          changes: projectEvents.changes,
          version: projectEvents.version,
          idempotencyKey: projectEvents.idempotencyKey,
          requestId: projectEvents.requestId,
          createdAt: projectEvents.createdAt,
        })
        .from(projectEvents)
        .innerJoin(users, eq(users.id, projectEvents.actorId))
        .innerJoin(projects, eq(projects.id, projectEvents.projectId))
        .where(
          and(
            filter.actorId ? eq(projectEvents.actorId, filter.actorId) : undefined,
            filter.action && isProjectAction(filter.action) ? eq(projectEvents.action, filter.action) : undefined,
            filter.from ? gte(projectEvents.createdAt, filter.from) : undefined,
            filter.to ? lt(projectEvents.createdAt, filter.to) : undefined,
            after(position, "project", projectEvents),
          ),
        )
        .orderBy(desc(projectEvents.createdAt), desc(projectEvents.id))
        .limit(limit + 1)
    : [];

  const entries: Array<AuditEntry & { position: AuditPosition }> = [
    ...authRows.map((r) => ({
      id: `auth:${r.id}`,
      source: "auth" as const,
      action: r.action,
      actorId: r.actorId,
      actorName: r.actorName,
      actorEmail: r.actorEmail,
      targetType: r.targetType,
      targetId: r.targetId,
      targetLabel: labelFrom(r.details),
      ip: r.ip,
      requestId: r.requestId,
      details: r.details,
      createdAt: r.createdAt,
      position: { createdAt: r.createdAt, source: "auth" as const, id: r.id },
    })),
    ...projectRows.map((r) => ({
      id: `project:${r.id}`,
      source: "project" as const,
      action: r.action,
      actorId: r.actorId,
      actorName: r.actorName,
      actorEmail: r.actorEmail,
      targetType: "project",
      targetId: r.projectId,
      targetLabel: r.projectName,
      ip: null,
      requestId: r.requestId,
      details: { version: r.version, changes: r.changes, ...(r.idempotencyKey && { idempotencyKey: r.idempotencyKey }) },
      createdAt: r.createdAt,
      position: { createdAt: r.createdAt, source: "project" as const, id: r.id },
    })),
  ];
  entries.sort(
    (a, b) =>
      b.createdAt.getTime() - a.createdAt.getTime() ||
      (a.source === b.source ? 0 : a.source === "project" ? -1 : 1) ||
      b.position.id - a.position.id,
  );
  const page = entries.slice(0, limit);
  const last = entries.length > limit ? page.at(-1) : undefined;
  const nextCursor = last ? encodeAuditCursor(last.position) : null;
  return { items: page.map(({ position: _, ...entry }) => entry), nextCursor };
}
