import { DomainError } from "../../errors.js";
import type { Project } from "../../routers/project/schemas.js";
import type { DomainContext } from "../context.js";
import { versionedWrite } from "../versioned-write.js";
import { projectEntity } from "./entity.js";
import { type Expected, preconditionOf } from "./expected.js";
import { projectHistory } from "./history.js";

/**
 * Puts an earlier version's field values back as a new version: a compensating write, versioned
 * and audited like any other (archive state is left to archive/restore).
 */
export async function revertProject(ctx: DomainContext, input: { id: string; toVersion: number; expected: Expected }): Promise<Project> {
  return versionedWrite(ctx, projectEntity, { id: input.id, precondition: preconditionOf(input.expected), action: "reverted" }, async (current, tx) => {
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
  });
}
