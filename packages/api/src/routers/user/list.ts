import { users } from "@trellis/db";
import { asc } from "drizzle-orm";
import { z } from "zod";
import { authedProcedure } from "../../procedures.js";
import { userSummarySchema } from "./schemas.js";

/** Everyone who can own a project, for owner pickers and filters. */
export const list = authedProcedure
  .meta({ openapi: { method: "GET", path: "/users", tags: ["users"], summary: "Users (id, name, role), by name" } })
  .input(z.void())
  .output(z.array(userSummarySchema))
  .query(({ ctx }) =>
    ctx.db.select({ id: users.id, name: users.name, role: users.role }).from(users).orderBy(asc(users.name), asc(users.id)),
  );
