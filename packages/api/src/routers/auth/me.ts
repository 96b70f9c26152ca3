import { z } from "zod";
import { authedProcedure } from "../../procedures.js";
import { meOutput } from "./schemas.js";

export const me = authedProcedure
  .meta({ openapi: { method: "GET", path: "/auth/me", tags: ["auth"], summary: "The signed-in user" } })
  .input(z.void())
  .output(meOutput)
  .query(({ ctx }) => {
    const { userId, email, name, role } = ctx.principal;
    return { id: userId, email, name, role };
  });
