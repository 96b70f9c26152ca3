import { randomBytes } from "node:crypto";
import { hashPassword, users } from "@trellis/db";
import { recordAuthEvent } from "../../audit/record.js";
import { DomainError } from "../../errors.js";
import { keyedMutationDoc } from "../../mutation-doc.js";
import { adminWriterProcedure } from "../../procedures.js";
import { inviteUserInput, inviteUserOutput } from "./schemas.js";
import { requireAdminUser } from "./users.js";

/**
 * Adds a user with a random temporary password, returned this once (no email is sent: the admin
 * passes it on). The user signs in with it and changes it under "Change password".
 */
export const inviteUser = adminWriterProcedure
  .meta({
    secretOutput: ["temporaryPassword"],
    openapi: { method: "POST", path: "/admin/users", tags: ["admin"], summary: "Invite a user (returns a temporary password once)", ...keyedMutationDoc(false) },
  })
  .input(inviteUserInput)
  .output(inviteUserOutput)
  .mutation(async ({ ctx, input }) => {
    const temporaryPassword = randomBytes(15).toString("base64url");
    const passwordHash = await hashPassword(temporaryPassword);
    return ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(users)
        .values({ email: input.email, name: input.name, role: input.role, passwordHash })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (!row) {
        throw new DomainError("EMAIL_TAKEN", "A user with this email already exists", {
          fieldErrors: { email: ["A user with this email already exists"] },
        });
      }
      await recordAuthEvent(tx, ctx, {
        actorId: ctx.principal.userId,
        action: "user_invited",
        targetType: "user",
        targetId: row.id,
        details: { email: input.email, role: input.role },
      });
      return { user: await requireAdminUser(tx, row.id), temporaryPassword };
    });
  });
