import { projectNotFound } from "../../domain/project/entity.js";
import { projectEvents } from "@trellis/db";
import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import { cursorCodec } from "../../pagination/cursor.js";
import { authedProcedure } from "../../procedures.js";
import { selectEvents } from "../../domain/project/events.js";
import { findProject } from "../../domain/project/rows.js";
import { activityInput, activitySchema } from "./schemas.js";

/** On the wire: the id of the page's last (oldest) event; the next page is older. */
const cursor = cursorCodec(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER));

export const activity = authedProcedure
  .meta({ openapi: { method: "GET", path: "/projects/{id}/activity", tags: ["projects"], summary: "A project's change history, newest first" } })
  .input(activityInput)
  .output(activitySchema)
  .query(async ({ ctx, input }) => {
    const before = input.cursor === undefined ? undefined : cursor.decode(input.cursor);
    if (!(await findProject(ctx.db, input.id))) throw projectNotFound();
    const rows = await selectEvents(ctx.db)
      .where(and(eq(projectEvents.projectId, input.id), before ? lt(projectEvents.id, before) : undefined))
      .orderBy(desc(projectEvents.id))
      .limit(input.limit + 1);
    const items = rows.slice(0, input.limit);
    const last = rows.length > input.limit ? items.at(-1) : undefined;
    const nextCursor = last ? cursor.encode(last.id) : null;
    return { items, nextCursor };
  });
