import { type ProjectAction, projects } from "@trellis/db";
import { sql } from "drizzle-orm";
import { DomainError } from "../../errors.js";
import type { Project } from "../../routers/project/schemas.js";
import { actingUserId } from "../context.js";
import type { AuditEvent, VersionedEntity } from "../versioned-write.js";
import { appendProjectEvent } from "./events.js";
import { findProject } from "./rows.js";

/** The pub/sub channel every project change is announced on (the change feed listens). */
export const CHANGES_CHANNEL = "project-changes";

export const projectNotFound = () => new DomainError("PROJECT_NOT_FOUND", "No project with this id");

/** One project_events row for an audit event of the kernel. */
export function projectEventRow(event: AuditEvent<ProjectAction>) {
  return {
    projectId: event.entityId,
    // project_events.actor_id is NOT NULL: a job changes projects on behalf of a user.
    actorId: actingUserId(event.actor, "change a project"),
    action: event.action,
    changes: event.changes,
    version: event.version,
    requestId: event.requestId,
    idempotencyKey: event.idempotencyKey,
    jobId: event.jobId ?? null,
  };
}

/** Projects as a versioned entity of the kernel (domain/versioned-write.ts). */
export const projectEntity: VersionedEntity<typeof projects, Project, ProjectAction> = {
  table: projects,
  noun: "project",
  notFound: projectNotFound,
  find: findProject,
  appendEvent: (tx, event) => appendProjectEvent(tx, projectEventRow(event)),
  channel: CHANGES_CHANNEL,
  touch: () => ({ updatedAt: sql`now()` }),
};
