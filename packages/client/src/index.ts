export { createTrellisClient, type TrellisClient, type TrellisClientOptions } from "./client.js";
export type { ResponseMeta } from "./links.js";
export { newIdempotencyKey } from "./keys.js";
export { defaultRetryPolicy, type RetryPolicy } from "./retry.js";
export type { AppRouter, RouterInputs, RouterOutputs } from "@trellis/api";
export { TRPCClientError } from "@trpc/client";
