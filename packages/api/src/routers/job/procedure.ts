import { idempotency } from "../../middleware/idempotency.js";
import { notifyChanges } from "../../middleware/notify.js";
import { authedProcedure } from "../../procedures.js";

/**
 * Commands any signed-in user may give about their own jobs (cancel), whatever their role now,
 * exactly once per Idempotency-Key: a viewer (say, an editor demoted while a job ran) may stop
 * work they started, since stopping writes is not starting any. Whose job it is, the use case
 * checks. A read-only API token still may not (enforceTokenScope).
 */
export const jobOwnerProcedure = authedProcedure.use(notifyChanges).use(idempotency);
