import type { z } from "zod";
import type { createProjectInput, Project } from "../../routers/project/schemas.js";
import { actingUserId, type DomainContext } from "../context.js";
import { versionedCreate } from "../versioned-write.js";
import { projectEntity } from "./entity.js";
import { assertOwnerExists, uniqueTags } from "./owner.js";

export type CreateProject = z.output<typeof createProjectInput>;

/** Creates a project at version 1, owned by `ownerId` or else by the acting user. */
export async function createProject(ctx: DomainContext, input: CreateProject): Promise<Project> {
  return versionedCreate(ctx, projectEntity, "created", async (tx) => {
    const ownerId = input.ownerId ?? actingUserId(ctx.actor, "create a project");
    if (input.ownerId) await assertOwnerExists(tx, input.ownerId, "ownerId");
    return { ...input, ownerId, tags: uniqueTags(input.tags) };
  });
}
