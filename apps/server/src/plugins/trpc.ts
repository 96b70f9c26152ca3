import { appRouter } from "@trellis/api";
import { type FastifyTRPCPluginOptions, fastifyTRPCPlugin } from "@trpc/server/adapters/fastify";
import type { FastifyInstance } from "fastify";
import type { AppRouter } from "@trellis/api";
import { type ContextDeps, contextFactory } from "../context.js";

export const MAX_BATCH_SIZE = 20;

export async function registerTrpc(app: FastifyInstance, deps: ContextDeps) {
  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      // The dashboard batches a handful of queries; every call of a batch is answered (errors too),
      // so an unbounded batch in one 16 KB URL would multiply the work and the answer.
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: contextFactory(deps, "trpc"),
      onError({ error, path, ctx }) {
        if (error.code === "INTERNAL_SERVER_ERROR") {
          app.log.error({ err: error.cause ?? error, path, requestId: ctx?.requestId }, "procedure failed");
        }
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });
}
