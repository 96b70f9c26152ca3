import { DomainError } from "../../errors.js";
import { authedProcedure } from "../../procedures.js";
import { findProject } from "./rows.js";
import { byIdInput, projectSchema } from "./schemas.js";

export const byId = authedProcedure
  .meta({ openapi: { method: "GET", path: "/projects/{id}", tags: ["projects"], summary: "One project" } })
  .input(byIdInput)
  .output(projectSchema)
  .query(async ({ ctx, input }) => {
    const project = await findProject(ctx.db, input.id);
    if (!project) throw new DomainError("PROJECT_NOT_FOUND", "No project with this id");
    return project;
  });
