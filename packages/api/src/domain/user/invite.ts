import { randomBytes } from "node:crypto";
import { hashPassword, users } from "@trellis/db";
import type { UserRole } from "@trellis/db/constants";
import { recordAuthEvent } from "../../audit/record.js";
import { DomainError } from "../../errors.js";
import type { AdminUser } from "../../routers/admin/schemas.js";
import { auditUserId, type DomainContext } from "../context.js";
import type { AuditOrigin } from "./administer.js";
import { requireAdminUser } from "./rows.js";

/**
 * Adds a user with a random temporary password, returned this once (no email is sent: whoever
 * invited passes it on). The user signs in with it and changes it under "Change password".
 */
export async function inviteUser(
  ctx: DomainContext,
  input: { email: string; name: string; role: UserRole },
  origin: AuditOrigin = {},
): Promise<{ user: AdminUser; temporaryPassword: string }> {
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
    await recordAuthEvent(tx, { requestId: ctx.requestId, clientIp: origin.clientIp }, {
      actorId: auditUserId(ctx.actor),
      action: "user_invited",
      targetType: "user",
      targetId: row.id,
      details: { email: input.email, role: input.role },
    });
    return { user: await requireAdminUser(tx, row.id), temporaryPassword };
  });
}
