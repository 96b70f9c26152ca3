import { createProject } from "../../domain/project/create.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { writerProcedure } from "../../procedures.js";
import { createProjectInput, projectSchema } from "./schemas.js";

export const create = writerProcedure
  .meta({
    idempotencyKey: "rest",
    openapi: { method: "POST", path: "/projects", tags: ["projects"], summary: "Create a project", successDescription: "The created project (version 1)", ...keyedMutationDoc(true) },
  })
  .input(createProjectInput)
  .output(projectSchema)
  .mutation(({ ctx, input }) => createProject(domainContextOf(ctx), input));
