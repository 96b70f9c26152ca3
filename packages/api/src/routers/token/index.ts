import { router } from "../../trpc.js";
import { create } from "./create.js";
import { list } from "./list.js";
import { revoke } from "./revoke.js";

export const tokenRouter = router({ list, create, revoke });
