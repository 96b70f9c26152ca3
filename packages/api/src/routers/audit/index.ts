import { router } from "../../trpc.js";
import { list } from "./list.js";

/** Read-only by design: audit rows have no update or delete procedure (and the database refuses both). */
export const auditRouter = router({ list });
