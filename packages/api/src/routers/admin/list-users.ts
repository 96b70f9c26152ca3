import { users } from "@trellis/db";
import { asc, gt, sql } from "drizzle-orm";
import { z } from "zod";
import { cursorCodec } from "../../pagination/cursor.js";
import { adminProcedure } from "../../procedures.js";
import { listUsersInput, listUsersOutput } from "./schemas.js";
import { adminUserColumns } from "../../domain/user/rows.js";

const emailKey = sql<string>`lower(${users.email})`;

/** On the wire: the last row's lower(email), as a JSON string (Postgres text cannot hold NUL). */
const cursor = cursorCodec(z.string().min(1).max(320).refine((email) => !email.includes("\u0000")));

/** Every user with role, status and last activity, by email (keyset pages on the lower(email) index). */
export const listUsers = adminProcedure
  .meta({ openapi: { method: "GET", path: "/admin/users", tags: ["admin"], summary: "Users, by email (admins only)" } })
  .input(listUsersInput)
  .output(listUsersOutput)
  .query(async ({ ctx, input }) => {
    const after = input.cursor === undefined ? undefined : cursor.decode(input.cursor);
    const rows = await ctx.db
      .select({ ...adminUserColumns, key: emailKey })
      .from(users)
      .where(after === undefined ? undefined : gt(emailKey, after))
      .orderBy(asc(emailKey))
      .limit(input.limit + 1);
    const page = rows.slice(0, input.limit);
    const last = rows.length > input.limit ? page.at(-1) : undefined;
    const nextCursor = last ? cursor.encode(last.key) : null;
    return { items: page.map(({ key: _, ...user }) => user), nextCursor };
  });
