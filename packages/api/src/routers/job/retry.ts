import { retryJobAs } from "../../domain/job/commands.js";
import { domainContextOf } from "../../procedure-context.js";
import { writerProcedure } from "../../procedures.js";
import { jobCommandDoc } from "./doc.js";
import { jobIdInput, jobSchema } from "./schemas.js";

export const retry = writerProcedure
  .meta({
    startsJob: true,
    openapi: {
      method: "POST",
      path: "/jobs/{id}/retry",
      tags: ["jobs"],
      summary: "Run a failed or cancelled job again, as one new attempt",
      successDescription: "The job, queued again; Location names it",
      ...jobCommandDoc("JOB_NOT_RETRYABLE: only a failed or cancelled job can be retried"),
    },
  })
  .input(jobIdInput)
  .output(jobSchema)
  .mutation(({ ctx, input }) => retryJobAs(domainContextOf(ctx), input.id));
