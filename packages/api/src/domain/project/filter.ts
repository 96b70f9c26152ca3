import { type ProjectStatus, projects } from "@trellis/db";
import { eq, ilike, isNull, or, type Placeholder, type SQL } from "drizzle-orm";

/** The list filters' values as the query binds them (`pattern`: a LIKE pattern, see likePattern). */
export type ProjectFilterValues = { status?: ProjectStatus; ownerId?: string; pattern?: string };

/** Binds one of the values `V` as itself (a one-off query) or as a named placeholder (a prepared statement). */
export type Bind<V> = <K extends keyof V & string>(name: K, value: NonNullable<V[K]>) => NonNullable<V[K]> | Placeholder<K>;

export const bindValue = <V>(): Bind<V> => (_name, value) => value;

/** `q` as a case-insensitive substring pattern, its own % _ \\ taken literally. */
export const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * What "projects matching these filters" means, once: the project list pages through it and a
 * bulk change by filter resolves it (domain/project/bulk-items.ts).
 */
export function projectFilterConditions<V extends ProjectFilterValues>(includeArchived: boolean, values: V, bind: Bind<V> = bindValue<V>()): SQL[] {
  const where: SQL[] = [];
  if (!includeArchived) where.push(isNull(projects.archivedAt));
  if (values.status !== undefined) where.push(eq(projects.status, bind("status", values.status)));
  if (values.ownerId !== undefined) where.push(eq(projects.ownerId, bind("ownerId", values.ownerId)));
  if (values.pattern !== undefined) {
    const pattern = bind("pattern", values.pattern);
    const match = or(ilike(projects.name, pattern), ilike(projects.description, pattern));
    if (match) where.push(match);
  }
  return where;
}
