import { one, projects } from "@trellis/db";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { writerProcedure } from "../../procedures.js";
import { assertOwnerExists, uniqueTags } from "./owner.js";
import { appendProjectEvent } from "./events.js";
import { findProject } from "./rows.js";
import { createProjectInput, projectSchema } from "./schemas.js";

export const create = writerProcedure
  .meta({
    idempotencyKey: "rest",
    openapi: { method: "POST", path: "/projects", tags: ["projects"], summary: "Create a project", successDescription: "The created project (version 1)", ...keyedMutationDoc(true) },
  })
  .input(createProjectInput)
  .output(projectSchema)
  .mutation(async ({ ctx, input }) => {
    return ctx.db.transaction(async (tx) => {
      const ownerId = input.ownerId ?? ctx.principal.userId;
      if (input.ownerId) await assertOwnerExists(tx, input.ownerId, "ownerId");
      const values = { ...input, ownerId, tags: uniqueTags(input.tags) };
      const row = one(await tx.insert(projects).values(values).returning({ id: projects.id, version: projects.version }), "the created project");
      const changes = Object.fromEntries(
        Object.entries(values).map(([field, after]) => [field, { before: null, after }]),
      );
      await appendProjectEvent(tx, {
        projectId: row.id,
        actorId: ctx.principal.userId,
        action: "created",
        changes,
        version: row.version,
        requestId: ctx.requestId,
        idempotencyKey: ctx.idempotencyKey,
      });
      const created = await findProject(tx, row.id);
      if (!created) throw new Error(`Project ${row.id} not found in the transaction that created it`);
      return created;
    });
  });
