import { listJobEvents } from "../../domain/job/report.js";
import { authedProcedure } from "../../procedures.js";
import { jobReadDoc, readerOf } from "./doc.js";
import { jobEventsInput, jobEventsSchema } from "./schemas.js";

export const events = authedProcedure
  .meta(jobReadDoc("/jobs/{id}/events", "The project changes a job made (its audit trail), oldest first"))
  .input(jobEventsInput)
  .output(jobEventsSchema)
  .query(({ ctx, input }) => listJobEvents(readerOf(ctx), input));
