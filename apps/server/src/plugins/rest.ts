import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { appRouter, createOpenApiDocument } from "@trellis/api";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { fastifyTRPCOpenApiPlugin } from "trpc-to-openapi";
import { type ContextDeps, contextFactory } from "../context.js";

export const REST_PREFIX = "/api/v1";

/** REST + OpenAPI generated from the same procedures as tRPC, and an interactive reference. */
export async function registerRest(app: FastifyInstance, deps: ContextDeps) {
  const document = createOpenApiDocument(REST_PREFIX);
  app.get(`${REST_PREFIX}/openapi.json`, async () => document);

  const createContext = contextFactory(deps, "rest");
  await app.register(fastifyTRPCOpenApiPlugin, {
    basePath: REST_PREFIX,
    router: appRouter,
    // The adapter hands over the Fastify request and reply, extended with node methods.
    createContext: ({ req, res }: { req: unknown; res: unknown }) =>
      createContext({ req: req as FastifyRequest, res: res as FastifyReply }),
    onError({ error, path }: { error: { code: string; cause?: unknown }; path?: string }) {
      if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error.cause ?? error, path }, "REST procedure failed");
    },
  } as never);

  await app.register(swagger, { mode: "static", specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: "/api-docs" });
}
