import type { ProjectStatus } from "@trellis/api/schemas";

/** Same rule as the server's stats: past due and still open. `today` is YYYY-MM-DD (see todayIso). */
export function isOverdue(project: { dueDate: string | null; status: ProjectStatus }, today: string): boolean {
  if (project.dueDate === null) return false;
  if (project.status === "completed" || project.status === "cancelled") return false;
  return project.dueDate < today;
}
