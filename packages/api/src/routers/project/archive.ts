import { DomainError } from "../../errors.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { versionedProcedure } from "../../procedures.js";
import { projectSchema, versionedIdInput } from "./schemas.js";
import { writeActor, writeProject } from "./versioned-write.js";

export const archive = versionedProcedure
  .meta({ openapi: { method: "POST", path: "/projects/{id}/archive", tags: ["projects"], summary: "Archive a project at an expected version", ...keyedMutationDoc(false, { versioned: true }) } })
  .input(versionedIdInput)
  .output(projectSchema)
  .mutation(({ ctx, input }) =>
    writeProject(
      writeActor(ctx),
      { id: input.id, precondition: ctx.precondition, action: "archived" },
      (current) => {
        if (current.archivedAt) throw new DomainError("ALREADY_ARCHIVED", "This project is already archived", { current });
        return { archivedAt: new Date() };
      },
    ),
  );
