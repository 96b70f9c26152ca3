import { DomainError } from "../../errors.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { versionedProcedure } from "../../procedures.js";
import { assertOwnerExists, uniqueTags } from "./owner.js";
import { projectSchema, updateProjectInput } from "./schemas.js";
import { writeActor, writeProject } from "./versioned-write.js";

export const update = versionedProcedure
  .meta({ openapi: { method: "PATCH", path: "/projects/{id}", tags: ["projects"], summary: "Change fields of a project at an expected version", ...keyedMutationDoc(false, { versioned: true }) } })
  .input(updateProjectInput)
  .output(projectSchema)
  .mutation(async ({ ctx, input }) => {
    const { patch } = input;
    if (Object.values(patch).every((v) => v === undefined)) {
      throw new DomainError("EMPTY_PATCH", "The patch changes no field", { fieldErrors: { patch: ["Change at least one field"] } });
    }
    return writeProject(
      writeActor(ctx),
      { id: input.id, precondition: ctx.precondition, action: "updated" },
      async (_current, tx) => {
        if (patch.ownerId) await assertOwnerExists(tx, patch.ownerId, "patch.ownerId");
        return { ...patch, tags: patch.tags && uniqueTags(patch.tags) };
      },
    );
  });
