import { startProjectExport } from "../../domain/project/export-start.js";
import { toJobView } from "../../domain/job/view.js";
import { idempotency } from "../../middleware/idempotency.js";
import { notifyChanges } from "../../middleware/notify.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { authedProcedure } from "../../procedures.js";
import { jobSchema } from "../job/schemas.js";
import { exportProjectsInput } from "./export-schemas.js";

const doc = keyedMutationDoc(true);
// An export answers no 404 and no version conflict; any signed-in role may start one.
const { 404: _notFound, 409: _conflict, 403: _role, ...errorResponses } = doc.errorResponses;

/**
 * Any signed-in user, viewers too: the file holds what project.list already shows them, and the
 * job writes no project. Still keyed (exactly once per Idempotency-Key, the job row in the
 * middleware's transaction), so a retried click starts one export, not two. A read-only API token
 * cannot start one: starting a job is a mutation (enforceTokenScope).
 */
const exportProcedure = authedProcedure.use(notifyChanges).use(idempotency);

export const exportProjects = exportProcedure
  .meta({
    idempotencyKey: "rest",
    startsJob: true,
    openapi: {
      method: "POST",
      path: "/exports",
      tags: ["projects"],
      summary: "Export the projects matching the list's filters as CSV, as a job",
      description:
        "Starts a job (see GET /jobs/{id}) that writes every project matching the filters, in the sort given, to a CSV file. When it has succeeded, download the file from GET /exports/{id}/file (the job's creator or an admin).",
      successDescription: "The job, queued; Location names it",
      ...doc,
      errorResponses: { ...errorResponses, 403: "A read-only API token", 409: "IDEMPOTENCY_IN_PROGRESS (see Retry-After)" },
    },
  })
  .input(exportProjectsInput)
  .output(jobSchema)
  .mutation(async ({ ctx, input }) => {
    const row = await startProjectExport(domainContextOf(ctx), input);
    return toJobView(row, ctx.principal.name);
  });
