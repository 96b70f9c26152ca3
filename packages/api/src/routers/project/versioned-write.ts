import { type Db, type FieldChanges, one, type ProjectAction, projects } from "@trellis/db";
import { and, eq, sql } from "drizzle-orm";
import { DomainError } from "../../errors.js";
import { etagFor, type Precondition, satisfies } from "../../versioning/precondition.js";
import { appendProjectEvent } from "./events.js";
import { findProject } from "./rows.js";
import type { Project, ProjectEditableField } from "./schemas.js";

/** What a versioned write may set: the editable fields, and the archive state. */
type Columns = Partial<Pick<typeof projects.$inferInsert, ProjectEditableField | "archivedAt">>;

export interface WriteActor {
  db: Db;
  actorId: string;
  requestId: string;
  idempotencyKey?: string;
}

export function writeActor(ctx: {
  db: Db;
  principal: { userId: string };
  requestId: string;
  idempotencyKey?: string;
}): WriteActor {
  return { db: ctx.db, actorId: ctx.principal.userId, requestId: ctx.requestId, idempotencyKey: ctx.idempotencyKey };
}

/**
 * The write lost against a newer version: 409 when the caller sent expectedVersion (tRPC, JSON
 * body), 412 when it sent If-Match (HTTP preconditions). Both carry the current state.
 */
export function versionConflict(current: Project, precondition?: Precondition): DomainError {
  const details = { currentVersion: current.version, currentEtag: etagFor(current.version), current };
  if (precondition && (precondition.kind !== "version" || precondition.source === "if-match")) {
    return new DomainError("VERSION_MISMATCH", `If-Match does not match the current version (${etagFor(current.version)})`, details);
  }
  return new DomainError(
    "VERSION_CONFLICT",
    `This project was changed by someone else (now at version ${current.version}); reload and apply your edit again`,
    details,
  );
}

const projectNotFound = () => new DomainError("PROJECT_NOT_FOUND", "No project with this id");

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

export function diffColumns(current: Project, next: Columns): FieldChanges {
  const changes: FieldChanges = {};
  for (const [field, after] of Object.entries(next)) {
    if (after === undefined) continue;
    const before = current[field as keyof Project];
    if (!sameValue(before, after)) changes[field] = { before, after };
  }
  return changes;
}

/**
 * One versioned change to one project, in one transaction: existence first (404 beats 409),
 * then the version, then a compare-and-set UPDATE whose row count is the final word, then
 * the audit event. `plan` turns the current state into the columns to write, or throws.
 */
export async function writeProject(
  actor: WriteActor,
  input: { id: string; precondition: Precondition; action: Exclude<ProjectAction, "created"> },
  plan: (current: Project, tx: Db) => Promise<Columns> | Columns,
): Promise<Project> {
  return actor.db.transaction(async (tx) => {
    const current = await findProject(tx, input.id);
    if (!current) throw projectNotFound();
    if (!satisfies(input.precondition, current.version)) throw versionConflict(current, input.precondition);
    // `If-Match: *` writes over whatever version is current now, still compare-and-set against it.
    const expectedVersion = current.version;

    const next = await plan(current, tx);
    const changes = diffColumns(current, next);
    // Nothing would change: no new version, no event (a repeated save is harmless).
    if (Object.keys(changes).length === 0) return current;

    const updated = await tx
      .update(projects)
      .set({ ...next, version: sql`${projects.version} + 1`, updatedAt: sql`now()` })
      .where(and(eq(projects.id, input.id), eq(projects.version, expectedVersion)))
      .returning({ version: projects.version });
    if (updated.length === 0) {
      // Someone committed between our read and our write.
      const now = await findProject(tx, input.id);
      throw now ? versionConflict(now, input.precondition) : projectNotFound();
    }

    await appendProjectEvent(tx, {
      projectId: input.id,
      actorId: actor.actorId,
      action: input.action,
      changes,
      version: one(updated, "the updated project").version,
      requestId: actor.requestId,
      idempotencyKey: actor.idempotencyKey,
    });
    const result = await findProject(tx, input.id);
    if (!result) throw new Error(`Project ${input.id} not found in the transaction that wrote it`);
    return result;
  });
}
