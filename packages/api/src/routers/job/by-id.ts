import { findVisibleJob } from "../../domain/job/view.js";
import { authedProcedure } from "../../procedures.js";
import { jobReadDoc, readerOf } from "./doc.js";
import { jobIdInput, jobSchema } from "./schemas.js";

export const byId = authedProcedure
  .meta(jobReadDoc("/jobs/{id}", "One job: state, progress, attempts, result or error"))
  .input(jobIdInput)
  .output(jobSchema)
  .query(({ ctx, input }) => findVisibleJob(ctx.db, readerOf(ctx).actor, input.id));
