import { DomainError } from "../../errors.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { versionedProcedure } from "../../procedures.js";
import { projectHistory } from "./history.js";
import { projectSchema, revertProjectInput } from "./schemas.js";
import { writeActor, writeProject } from "./versioned-write.js";

/**
 * Puts an earlier version's field values back as a new version: a compensating write, versioned
 * and audited like any other (archive state is left to archive/restore).
 */
export const revert = versionedProcedure
  .meta({ openapi: { method: "POST", path: "/projects/{id}/revert", tags: ["projects"], summary: "Restore an earlier version's fields as a new version", ...keyedMutationDoc(false, { versioned: true }) } })
  .input(revertProjectInput)
  .output(projectSchema)
  .mutation(({ ctx, input }) =>
    writeProject(writeActor(ctx), { id: input.id, precondition: ctx.precondition, action: "reverted" }, async (current, tx) => {
      if (input.toVersion >= current.version) {
        throw new DomainError("UNKNOWN_VERSION", `Version ${input.toVersion} is not earlier than the current version ${current.version}`, {
          fieldErrors: { toVersion: [`Choose a version below ${current.version}`] },
        });
      }
      const { items } = await projectHistory(tx, input.id);
      const target = items.find((v) => v.version === input.toVersion);
      if (!target) {
        throw new DomainError("UNKNOWN_VERSION", `This project has no version ${input.toVersion}`, {
          fieldErrors: { toVersion: ["No such version"] },
        });
      }
      return { ...target.snapshot };
    }),
  );
