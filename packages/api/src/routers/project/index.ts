import { router } from "../../trpc.js";
import { activity } from "./activity.js";
import { archive } from "./archive.js";
import { bulk } from "./bulk.js";
import { byId } from "./by-id.js";
import { changes } from "./changes.js";
import { create } from "./create.js";
import { exportProjects } from "./export.js";
import { history } from "./history.js";
import { list } from "./list.js";
import { restore } from "./restore.js";
import { revert } from "./revert.js";
import { stats } from "./stats.js";
import { update } from "./update.js";

// `stats` precedes `byId` so GET /projects/stats is not read as an id.
export const projectRouter = router({
  list,
  stats,
  byId,
  create,
  update,
  archive,
  restore,
  bulk,
  export: exportProjects,
  revert,
  activity,
  history,
  changes,
});
