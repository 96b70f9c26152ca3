import { revertProject } from "../../domain/project/revert.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { versionedProcedure } from "../../procedures.js";
import { projectSchema, revertProjectInput } from "./schemas.js";

/** Puts an earlier version's field values back as a new version (see domain/project/revert.ts). */
export const revert = versionedProcedure
  .meta({ openapi: { method: "POST", path: "/projects/{id}/revert", tags: ["projects"], summary: "Restore an earlier version's fields as a new version", ...keyedMutationDoc(false, { versioned: true }) } })
  .input(revertProjectInput)
  .output(projectSchema)
  .mutation(({ ctx, input }) =>
    revertProject(domainContextOf(ctx), { id: input.id, toVersion: input.toVersion, expected: ctx.precondition }),
  );
