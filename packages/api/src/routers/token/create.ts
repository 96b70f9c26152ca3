import { createApiToken } from "../../domain/token/create.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { credentialProcedure } from "../../procedures.js";
import { createTokenInput, createTokenOutput } from "./schemas.js";

/**
 * Creates a personal API token for scripts and sibling apps: `Authorization: Bearer <token>` on
 * tRPC and REST. The secret is in this answer only; the server keeps its SHA-256.
 */
export const create = credentialProcedure
  .meta({
    secretOutput: ["token"],
    openapi: { method: "POST", path: "/tokens", tags: ["tokens"], summary: "Create an API token (the secret is shown once)", ...keyedMutationDoc(false) },
  })
  .input(createTokenInput)
  .output(createTokenOutput)
  .mutation(({ ctx, input }) =>
    createApiToken(domainContextOf(ctx), input, { limit: ctx.services.limits.apiTokensPerUser, clientIp: ctx.clientIp }),
  );
