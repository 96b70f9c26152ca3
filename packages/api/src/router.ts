import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { adminRouter } from "./routers/admin/index.js";
import { auditRouter } from "./routers/audit/index.js";
import { authRouter } from "./routers/auth/index.js";
import { importRouter } from "./routers/import/index.js";
import { jobRouter } from "./routers/job/index.js";
import { projectRouter } from "./routers/project/index.js";
import { tokenRouter } from "./routers/token/index.js";
import { userRouter } from "./routers/user/index.js";
import { createCallerFactory, router } from "./trpc.js";

export const appRouter = router({
  auth: authRouter,
  project: projectRouter,
  user: userRouter,
  token: tokenRouter,
  admin: adminRouter,
  audit: auditRouter,
  job: jobRouter,
  import: importRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
