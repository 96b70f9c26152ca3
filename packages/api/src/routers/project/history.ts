import { authedProcedure } from "../../procedures.js";
import { projectHistory } from "../../domain/project/history.js";
import { byIdInput, projectHistorySchema } from "./schemas.js";

export const history = authedProcedure
  .meta({ openapi: { method: "GET", path: "/projects/{id}/history", tags: ["projects"], summary: "Every version of a project, newest first" } })
  .input(byIdInput)
  .output(projectHistorySchema)
  .query(async ({ ctx, input }) => (await projectHistory(ctx.db, input.id)).items);
