import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "./router.js";

/** The REST surface is generated from the same procedures as tRPC: one API, two transports. */
export function createOpenApiDocument(baseUrl: string) {
  return generateOpenApiDocument(appRouter, {
    title: "Trellis API",
    version: "1.0.0",
    description:
      "REST view of the Trellis tRPC router. Authenticate with `Authorization: Bearer <token>`: an API token (`trellis_pat_…`, created in the dashboard under API tokens) or the short-lived access token from POST /auth/login.",
    baseUrl,
    tags: ["auth", "projects", "users", "tokens", "admin", "audit"],
  });
}
