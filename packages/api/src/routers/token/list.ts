import { apiTokens } from "@trellis/db";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { authedProcedure } from "../../procedures.js";
import { tokenColumns } from "../../domain/token/rows.js";
import { apiTokenSchema } from "./schemas.js";

/** Your API tokens, newest first, revoked and expired ones included (at most 500). Never the secrets. */
export const list = authedProcedure
  .meta({ openapi: { method: "GET", path: "/tokens", tags: ["tokens"], summary: "Your API tokens (never their secrets)" } })
  .input(z.void())
  .output(z.array(apiTokenSchema))
  .query(({ ctx }) =>
    ctx.db
      .select(tokenColumns)
      .from(apiTokens)
      .where(eq(apiTokens.userId, ctx.principal.userId))
      .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
      .limit(500),
  );
