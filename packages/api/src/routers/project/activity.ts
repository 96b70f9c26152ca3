import { projectEvents } from "@trellis/db";
import { and, desc, eq, lt } from "drizzle-orm";
import { DomainError } from "../../errors.js";
import { authedProcedure } from "../../procedures.js";
import { selectEvents } from "./events.js";
import { findProject } from "./rows.js";
import { activityInput, activitySchema } from "./schemas.js";

export const activity = authedProcedure
  .meta({ openapi: { method: "GET", path: "/projects/{id}/activity", tags: ["projects"], summary: "A project's change history, newest first" } })
  .input(activityInput)
  .output(activitySchema)
  .query(async ({ ctx, input }) => {
    let before: number | undefined;
    if (input.cursor !== undefined) {
      before = Number(input.cursor);
      if (!Number.isSafeInteger(before) || before < 1) {
        throw new DomainError("INVALID_CURSOR", "This cursor is invalid; start from the first page", {
          fieldErrors: { cursor: ["Invalid cursor"] },
        });
      }
    }
    if (!(await findProject(ctx.db, input.id))) throw new DomainError("PROJECT_NOT_FOUND", "No project with this id");
    const rows = await selectEvents(ctx.db)
      .where(and(eq(projectEvents.projectId, input.id), before ? lt(projectEvents.id, before) : undefined))
      .orderBy(desc(projectEvents.id))
      .limit(input.limit + 1);
    const items = rows.slice(0, input.limit);
    const nextCursor = rows.length > input.limit ? String(items.at(-1)!.id) : null;
    return { items, nextCursor };
  });
