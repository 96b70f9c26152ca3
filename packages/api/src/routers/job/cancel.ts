import { cancelJobAs } from "../../domain/job/commands.js";
import { domainContextOf } from "../../procedure-context.js";
import { jobOwnerProcedure } from "./procedure.js";
import { jobCommandDoc } from "./doc.js";
import { jobIdInput, jobSchema } from "./schemas.js";

export const cancel = jobOwnerProcedure
  .meta({
    openapi: {
      method: "DELETE",
      path: "/jobs/{id}",
      tags: ["jobs"],
      summary: "Cancel a job: a waiting one at once, a running one at its next checkpoint (cancelRequested)",
      ...jobCommandDoc("JOB_ALREADY_FINISHED"),
    },
  })
  .input(jobIdInput)
  .output(jobSchema)
  .mutation(({ ctx, input }) => cancelJobAs(domainContextOf(ctx), input.id));
