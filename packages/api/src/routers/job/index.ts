import { router } from "../../trpc.js";
import { byId } from "./by-id.js";
import { cancel } from "./cancel.js";
import { events } from "./events.js";
import { items } from "./items.js";
import { list } from "./list.js";
import { progress } from "./progress.js";
import { retry } from "./retry.js";

export const jobRouter = router({ list, byId, items, events, cancel, retry, progress });
