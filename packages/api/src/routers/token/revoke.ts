import { revokeApiToken } from "../../domain/token/revoke.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { domainContextOf } from "../../procedure-context.js";
import { credentialProcedure } from "../../procedures.js";
import { apiTokenSchema, tokenIdInput } from "./schemas.js";

/** Revokes one of your API tokens; it is refused from the next request on, on every instance. */
export const revoke = credentialProcedure
  .meta({
    openapi: { method: "POST", path: "/tokens/{id}/revoke", tags: ["tokens"], summary: "Revoke one of your API tokens", ...keyedMutationDoc(false) },
  })
  .input(tokenIdInput)
  .output(apiTokenSchema)
  .mutation(({ ctx, input }) => revokeApiToken(domainContextOf(ctx), input, { clientIp: ctx.clientIp }));
