import { projectNotFound } from "../../domain/project/entity.js";
import { authedProcedure } from "../../procedures.js";
import { findProject } from "../../domain/project/rows.js";
import { byIdInput, projectSchema } from "./schemas.js";

export const byId = authedProcedure
  .meta({ openapi: { method: "GET", path: "/projects/{id}", tags: ["projects"], summary: "One project" } })
  .input(byIdInput)
  .output(projectSchema)
  .query(async ({ ctx, input }) => {
    const project = await findProject(ctx.db, input.id);
    if (!project) throw projectNotFound();
    return project;
  });
