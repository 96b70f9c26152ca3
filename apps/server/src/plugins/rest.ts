import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { appRouter, createOpenApiDocument, etagFor, jobStartingProcedures } from "@trellis/api";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { fastifyTRPCOpenApiPlugin } from "trpc-to-openapi";
import { type ContextDeps, contextFactory } from "../context.js";

export const REST_PREFIX = "/api/v1";

/** A versioned record's strong ETag, so REST clients can use If-Match / If-None-Match. */
function etagHeaders(data: unknown): Record<string, string> {
  if (data && typeof data === "object" && "version" in data && typeof data.version === "number" && "id" in data) {
    return { ETag: etagFor(data.version) };
  }
  return {};
}

const startsJob = jobStartingProcedures();

/**
 * A request that starts a job answers 202 with the job and a Location to it (RFC 9110 §15.3.3) —
 * a replay of its Idempotency-Key too, since it answers the same job.
 */
function jobStartedMeta(path: string | undefined, data: unknown): { status: number; headers: Record<string, string> } | undefined {
  if (!path || !startsJob.has(path) || !data || typeof data !== "object" || !("id" in data) || typeof data.id !== "string") return undefined;
  return { status: 202, headers: { Location: `${REST_PREFIX}/jobs/${encodeURIComponent(data.id)}` } };
}

/** REST + OpenAPI generated from the same procedures as tRPC, and an interactive reference. */
export async function registerRest(app: FastifyInstance, deps: ContextDeps) {
  const document = createOpenApiDocument(REST_PREFIX);
  app.get(`${REST_PREFIX}/openapi.json`, async () => document);

  const createContext = contextFactory(deps, "rest");
  await app.register(fastifyTRPCOpenApiPlugin, {
    basePath: REST_PREFIX,
    router: appRouter,
    responseMeta: ({ data, errors, paths }: { data: unknown[]; errors: unknown[]; paths?: string[] }) =>
      errors.length === 0 ? (jobStartedMeta(paths?.[0], data[0]) ?? { headers: etagHeaders(data[0]) }) : {},
    // The adapter hands over the Fastify request and reply, extended with node methods.
    createContext: ({ req, res }: { req: unknown; res: unknown }) =>
      createContext({ req: req as FastifyRequest, res: res as FastifyReply }),
    onError({ error, path }: { error: { code: string; cause?: unknown }; path?: string }) {
      if (error.code === "INTERNAL_SERVER_ERROR") app.log.error({ err: error.cause ?? error, path }, "REST procedure failed");
    },
  } as never);

  // Conditional GET (RFC 9110 §13.1.2): If-None-Match uses weak comparison.
  app.addHook("onSend", async (req, reply, payload) => {
    const etag = reply.getHeader("etag");
    const ifNoneMatch = req.headers["if-none-match"];
    if (req.method !== "GET" || reply.statusCode !== 200 || typeof etag !== "string" || !ifNoneMatch) return payload;
    const weak = (t: string) => t.trim().replace(/^W\//, "");
    const matches = ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((t) => weak(t) === weak(etag));
    if (!matches) return payload;
    reply.code(304);
    return "";
  });

  await app.register(swagger, { mode: "static", specification: { document: document as never } });
  await app.register(swaggerUi, { routePrefix: "/api-docs" });
}
