import { type Db, projects, users } from "@trellis/db";
import { eq } from "drizzle-orm";
import type { Project } from "../../routers/project/schemas.js";

/** The columns of a Project as the API returns it (owner name joined in). */
export const projectColumns = {
  id: projects.id,
  name: projects.name,
  description: projects.description,
  status: projects.status,
  ownerId: projects.ownerId,
  ownerName: users.name,
  tags: projects.tags,
  budgetCents: projects.budgetCents,
  dueDate: projects.dueDate,
  createdAt: projects.createdAt,
  updatedAt: projects.updatedAt,
  archivedAt: projects.archivedAt,
  version: projects.version,
};

export function selectProjects(db: Db) {
  return db.select(projectColumns).from(projects).innerJoin(users, eq(users.id, projects.ownerId));
}

export async function findProject(db: Db, id: string): Promise<Project | undefined> {
  const [row] = await selectProjects(db).where(eq(projects.id, id)).limit(1);
  return row;
}

export async function userExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.id, id)).limit(1);
  return row !== undefined;
}
