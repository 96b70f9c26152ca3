import { users } from "@trellis/db";
import { asc, gt, sql } from "drizzle-orm";
import { DomainError } from "../../errors.js";
import { adminProcedure } from "../../procedures.js";
import { listUsersInput, listUsersOutput } from "./schemas.js";
import { adminUserColumns } from "./users.js";

const emailKey = sql<string>`lower(${users.email})`;

function decodeCursor(cursor: string): string {
  const value = Buffer.from(cursor, "base64url").toString("utf8");
  if (value.length === 0 || value.length > 320 || value.includes("\u0000") || Buffer.from(value).toString("base64url") !== cursor) {
    throw new DomainError("INVALID_CURSOR", "This cursor is invalid; start from the first page", { fieldErrors: { cursor: ["Invalid cursor"] } });
  }
  return value;
}

/** Every user with role, status and last activity, by email (keyset pages on the lower(email) index). */
export const listUsers = adminProcedure
  .meta({ openapi: { method: "GET", path: "/admin/users", tags: ["admin"], summary: "Users, by email (admins only)" } })
  .input(listUsersInput)
  .output(listUsersOutput)
  .query(async ({ ctx, input }) => {
    const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    const rows = await ctx.db
      .select({ ...adminUserColumns, key: emailKey })
      .from(users)
      .where(after === undefined ? undefined : gt(emailKey, after))
      .orderBy(asc(emailKey))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const nextCursor = rows.length > input.limit ? Buffer.from(page.at(-1)!.key).toString("base64url") : null;
    return { items: page.map(({ key: _, ...user }) => user), nextCursor };
  });
