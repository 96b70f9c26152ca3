import { DomainError } from "../../errors.js";
import type { Project, ProjectPatch } from "../../routers/project/schemas.js";
import type { DomainContext } from "../context.js";
import { versionedWrite } from "../versioned-write.js";
import { projectEntity } from "./entity.js";
import { type Expected, preconditionOf } from "./expected.js";
import { assertOwnerExists, uniqueTags } from "./owner.js";

/** Changes some editable fields of a project at the version the caller expects. */
export async function updateProject(ctx: DomainContext, input: { id: string; expected: Expected; patch: ProjectPatch }): Promise<Project> {
  const { patch } = input;
  if (Object.values(patch).every((v) => v === undefined)) {
    throw new DomainError("EMPTY_PATCH", "The patch changes no field", { fieldErrors: { patch: ["Change at least one field"] } });
  }
  return versionedWrite(ctx, projectEntity, { id: input.id, precondition: preconditionOf(input.expected), action: "updated" }, async (_current, tx) => {
    if (patch.ownerId) await assertOwnerExists(tx, patch.ownerId, "patch.ownerId");
    return { ...patch, tags: patch.tags && uniqueTags(patch.tags) };
  });
}
