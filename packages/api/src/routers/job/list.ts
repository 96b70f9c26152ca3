import { listJobs } from "../../domain/job/list.js";
import { authedProcedure } from "../../procedures.js";
import { readerOf } from "./doc.js";
import { jobListSchema, listJobsInput } from "./schemas.js";

export const list = authedProcedure
  .meta({
    openapi: {
      method: "GET",
      path: "/jobs",
      tags: ["jobs"],
      summary: "List jobs, newest first (keyset pagination): yours, or everyone's for admins (scope=all)",
      errorResponses: { 400: "Invalid input or cursor", 401: "Not signed in", 403: "INSUFFICIENT_ROLE: scope=all is for admins" },
    },
  })
  .input(listJobsInput)
  .output(jobListSchema)
  .query(({ ctx, input }) => listJobs(readerOf(ctx), input));
