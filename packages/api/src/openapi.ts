import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "./router.js";
import type { Meta } from "./trpc.js";

type Operation = { responses?: Record<string, { headers?: Record<string, unknown> } & Record<string, unknown>> };

/**
 * Every procedure whose meta says it starts a job (meta.startsJob), by dotted path, with its REST
 * method and path (under the base URL): the REST host answers them 202 + Location.
 */
export function jobStartingProcedures(): Map<string, { path: string; method: string }> {
  // tRPC keeps every procedure flat by dotted path here; only their meta is read.
  const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta } }>;
  return new Map(
    Object.entries(procedures).flatMap(([name, { _def: { meta } }]) =>
      meta?.startsJob && meta.openapi ? [[name, { path: meta.openapi.path, method: meta.openapi.method.toLowerCase() }] as const] : [],
    ),
  );
}

/** The REST surface is generated from the same procedures as tRPC: one API, two transports. */
export function createOpenApiDocument(baseUrl: string) {
  const document = generateOpenApiDocument(appRouter, {
    title: "Trellis API",
    version: "1.0.0",
    description:
      "REST view of the Trellis tRPC router. Authenticate with `Authorization: Bearer <token>`: an API token (`trellis_pat_…`, created in the dashboard under API tokens) or the short-lived access token from POST /auth/login.",
    baseUrl,
    tags: ["auth", "projects", "jobs", "users", "tokens", "admin", "audit"],
  });
  // The generator documents every success as 200; a request that starts a job answers 202 with
  // the job and a Location to it (RFC 9110 §15.3.3), as the REST plugin sends.
  for (const { path, method } of jobStartingProcedures().values()) {
    const operation = (document.paths?.[path] as Record<string, Operation> | undefined)?.[method];
    const ok = operation?.responses?.["200"];
    if (!operation?.responses || !ok) continue;
    const { ETag: _noVersion, ...headers } = ok.headers ?? {};
    const location = { description: "The job: GET it to follow its state", schema: { type: "string", example: `${baseUrl}/jobs/{id}` } };
    delete operation.responses["200"];
    operation.responses = { 202: { ...ok, headers: { ...headers, Location: location } }, ...operation.responses };
  }
  return document;
}
