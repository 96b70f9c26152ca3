import { DomainError } from "../../errors.js";
import type { Project } from "../../routers/project/schemas.js";
import type { DomainContext } from "../context.js";
import { versionedWrite } from "../versioned-write.js";
import { projectEntity } from "./entity.js";
import { type Expected, preconditionOf } from "./expected.js";

/** Archives a project (ALREADY_ARCHIVED if it is). */
export async function archiveProject(ctx: DomainContext, input: { id: string; expected: Expected }): Promise<Project> {
  return versionedWrite(ctx, projectEntity, { id: input.id, precondition: preconditionOf(input.expected), action: "archived" }, (current) => {
    if (current.archivedAt) throw new DomainError("ALREADY_ARCHIVED", "This project is already archived", { current });
    return { archivedAt: ctx.now() };
  });
}

/** Restores an archived project (NOT_ARCHIVED if it is not). */
export async function restoreProject(ctx: DomainContext, input: { id: string; expected: Expected }): Promise<Project> {
  return versionedWrite(ctx, projectEntity, { id: input.id, precondition: preconditionOf(input.expected), action: "restored" }, (current) => {
    if (!current.archivedAt) throw new DomainError("NOT_ARCHIVED", "This project is not archived", { current });
    return { archivedAt: null };
  });
}
