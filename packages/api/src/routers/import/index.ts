import { router } from "../../trpc.js";
import { dryRun, run } from "./start.js";
import { byId, upload } from "./upload.js";

// The apply is `run` (POST /imports/{uploadId}/apply): tRPC reserves `apply` as a procedure name.
export const importRouter = router({ upload, byId, dryRun, run });
