import { DomainError } from "../../errors.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { versionedProcedure } from "../../procedures.js";
import { projectSchema, versionedIdInput } from "./schemas.js";
import { writeActor, writeProject } from "./versioned-write.js";

export const restore = versionedProcedure
  .meta({ openapi: { method: "POST", path: "/projects/{id}/restore", tags: ["projects"], summary: "Restore an archived project at an expected version", ...keyedMutationDoc(false, { versioned: true }) } })
  .input(versionedIdInput)
  .output(projectSchema)
  .mutation(({ ctx, input }) =>
    writeProject(
      writeActor(ctx),
      { id: input.id, precondition: ctx.precondition, action: "restored" },
      (current) => {
        if (!current.archivedAt) throw new DomainError("NOT_ARCHIVED", "This project is not archived", { current });
        return { archivedAt: null };
      },
    ),
  );
