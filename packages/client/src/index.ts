export { createTrellisClient, type TrellisClient, type TrellisClientOptions } from "./client.js";
export type { AppRouter, RouterInputs, RouterOutputs } from "@trellis/api";
export { TRPCClientError } from "@trpc/client";
