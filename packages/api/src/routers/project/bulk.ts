import { startBulkChange } from "../../domain/project/bulk-start.js";
import { toJobView } from "../../domain/job/view.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { writerProcedure } from "../../procedures.js";
import { jobSchema } from "../job/schemas.js";
import { bulkProjectsInput } from "./bulk-schemas.js";

const doc = keyedMutationDoc(true);
// Bulk answers no 404 (an unknown id is reported as not_found in the job) and no version conflict.
const { 404: _notFound, 409: _conflict, ...errorResponses } = doc.errorResponses;

export const bulk = writerProcedure
  .meta({
    idempotencyKey: "rest",
    startsJob: true,
    openapi: {
      method: "POST",
      path: "/projects/bulk",
      tags: ["projects"],
      summary: "Archive, restore or set the status of many projects, as a job",
      description:
        "Starts a job (see GET /jobs/{id}) that changes each selected project as its own versioned write: a project changed since the version you passed is reported as a conflict, never overwritten. The per-project report: GET /jobs/{id}/items.",
      successDescription: "The job, queued; Location names it",
      ...doc,
      errorResponses: { ...errorResponses, 409: "IDEMPOTENCY_IN_PROGRESS (see Retry-After)" },
    },
  })
  .input(bulkProjectsInput)
  .output(jobSchema)
  .mutation(async ({ ctx, input }) => {
    const row = await startBulkChange(domainContextOf(ctx), input);
    // The creator is the caller: no join needed for the name.
    return toJobView(row, ctx.principal.name);
  });
