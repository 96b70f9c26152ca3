import { router } from "../../trpc.js";
import { list } from "./list.js";

export const userRouter = router({ list });
