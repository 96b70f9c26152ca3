import { toJobView } from "../../domain/job/view.js";
import { startImport } from "../../domain/import/start.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { writerProcedure } from "../../procedures.js";
import { jobSchema } from "../job/schemas.js";
import { importApplyInput, importDryRunInput } from "./schemas.js";

const doc = keyedMutationDoc(true);
// An import answers no 404 (an unknown upload is a 400 on uploadId) and no version conflict (a
// conflict is a row of the report).
const { 404: _notFound, 409: _conflict, ...errorResponses } = doc.errorResponses;
const meta = (path: `/${string}`, summary: string, description: string) => ({
  idempotencyKey: "rest" as const,
  startsJob: true,
  openapi: {
    method: "POST" as const,
    path,
    tags: ["imports"],
    summary,
    description: `${description} The per-row report: GET /jobs/{id}/items (itemId is the line number; detail holds the key, field errors by column, the project).`,
    successDescription: "The job, queued; Location names it",
    ...doc,
    errorResponses: {
      ...errorResponses,
      400: "Invalid input, an unknown upload (or not yours), a mapping that names a missing column or maps two columns to one field",
      409: "IDEMPOTENCY_IN_PROGRESS (see Retry-After)",
    },
  },
});

export const dryRun = writerProcedure
  .meta(meta("/imports/{uploadId}/dry-run", "Check an uploaded CSV, as a job: what each row would do", "Validates every row and records what it would do (created / updated / unchanged / conflict / error); writes nothing else."))
  .input(importDryRunInput)
  .output(jobSchema)
  .mutation(async ({ ctx, input }) => toJobView(await startImport(domainContextOf(ctx), { ...input, mode: "dryRun" }), ctx.principal.name));

export const run = writerProcedure
  .meta(
    meta(
      "/imports/{uploadId}/apply",
      "Import an uploaded CSV, as a job",
      "Applies each valid row as its own versioned write, keyed (external id, project id, or a hash of the row): re-running a file creates nothing new. A project edited in Trellis since it was last imported is a conflict, unless overwriteChanged.",
    ),
  )
  .input(importApplyInput)
  .output(jobSchema)
  .mutation(async ({ ctx, input }) => toJobView(await startImport(domainContextOf(ctx), { ...input, mode: "apply" }), ctx.principal.name));
