import { archiveProject } from "../../domain/project/archive.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { versionedProcedure } from "../../procedures.js";
import { projectSchema, versionedIdInput } from "./schemas.js";

export const archive = versionedProcedure
  .meta({ openapi: { method: "POST", path: "/projects/{id}/archive", tags: ["projects"], summary: "Archive a project at an expected version", ...keyedMutationDoc(false, { versioned: true }) } })
  .input(versionedIdInput)
  .output(projectSchema)
  .mutation(({ ctx, input }) => archiveProject(domainContextOf(ctx), { id: input.id, expected: ctx.precondition }));
