export { createTrellisClient, type TrellisClient, type TrellisClientOptions } from "./client.js";
export type { ResponseMeta } from "./links.js";
export { newIdempotencyKey } from "./keys.js";
export { waitForJob, isJobFinished, type Job, type WaitForJobOptions } from "./jobs.js";
export { defaultRetryPolicy, type RetryPolicy } from "./retry.js";
export type { AppRouter, RouterInputs, RouterOutputs } from "@trellis/api";
export { TRPCClientError } from "@trpc/client";
