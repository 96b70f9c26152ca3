import { updateProject } from "../../domain/project/update.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { versionedProcedure } from "../../procedures.js";
import { projectSchema, updateProjectInput } from "./schemas.js";

export const update = versionedProcedure
  .meta({ openapi: { method: "PATCH", path: "/projects/{id}", tags: ["projects"], summary: "Change fields of a project at an expected version", ...keyedMutationDoc(false, { versioned: true }) } })
  .input(updateProjectInput)
  .output(projectSchema)
  .mutation(({ ctx, input }) => updateProject(domainContextOf(ctx), { id: input.id, expected: ctx.precondition, patch: input.patch }));
