import type { Db } from "@trellis/db";
import { DomainError } from "../../errors.js";
import { userExists } from "./rows.js";

/** An unknown owner is the caller's mistake (400 on the field), not a foreign-key 500. */
export async function assertOwnerExists(db: Db, ownerId: string, field: string): Promise<void> {
  if (!(await userExists(db, ownerId))) {
    throw new DomainError("UNKNOWN_OWNER", "The owner must be an existing user", {
      fieldErrors: { [field]: ["No user with this id"] },
    });
  }
}

export function uniqueTags(tags: string[]): string[] {
  return [...new Set(tags)];
}
