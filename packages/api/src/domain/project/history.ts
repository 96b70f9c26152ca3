import { type Db, projectEvents } from "@trellis/db";
import { desc, eq } from "drizzle-orm";
import { projectNotFound } from "./entity.js";
import { selectEvents } from "./events.js";
import { findProject } from "./rows.js";
import { type Project, type ProjectEditableField, projectEditableFields, type ProjectSnapshot } from "../../routers/project/schemas.js";

const MAX_VERSIONS = 1_000;

export function snapshotOf(p: Pick<Project, ProjectEditableField>): ProjectSnapshot {
  return Object.fromEntries(projectEditableFields.map((f) => [f, p[f]])) as ProjectSnapshot;
}

/**
 * Every version of a project with who made it and the full field values it had. Built backwards
 * from the current row by undoing each event's changes, so it needs nothing but the audit log.
 */
export async function projectHistory(db: Db, id: string) {
  const current = await findProject(db, id);
  if (!current) throw projectNotFound();
  const events = await selectEvents(db)
    .where(eq(projectEvents.projectId, id))
    .orderBy(desc(projectEvents.id))
    .limit(MAX_VERSIONS);
  let state: ProjectSnapshot = snapshotOf(current);
  const items = events.map((e) => {
    const snapshot = state;
    const older = { ...state } as Record<string, unknown>;
    for (const [field, change] of Object.entries(e.changes)) {
      if (field in older) older[field] = change.before;
    }
    state = older as ProjectSnapshot;
    return { ...e, changedFields: Object.keys(e.changes), snapshot };
  });
  return { current, items };
}
