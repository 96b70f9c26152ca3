import { listJobItems } from "../../domain/job/report.js";
import { authedProcedure } from "../../procedures.js";
import { jobReadDoc, readerOf } from "./doc.js";
import { jobItemsInput, jobItemsSchema } from "./schemas.js";

export const items = authedProcedure
  .meta(jobReadDoc("/jobs/{id}/items", "A job's per-item report in work order, with counts per outcome"))
  .input(jobItemsInput)
  .output(jobItemsSchema)
  .query(({ ctx, input }) => listJobItems(readerOf(ctx), input));
