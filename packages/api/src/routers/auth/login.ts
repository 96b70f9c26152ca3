import { hashPassword, users, verifyPassword } from "@trellis/db";
import { eq, sql } from "drizzle-orm";
import { SESSION_COOKIE } from "../../auth/session.js";
import { DomainError } from "../../errors.js";
import { publicProcedure } from "../../procedures.js";
import { loginInput, loginOutput } from "./schemas.js";

// Verified against when the email is unknown, so both paths cost one argon2 verification
// and response time does not reveal which emails exist.
const decoyHash = hashPassword("decoy-password-that-never-matches");

export const login = publicProcedure
  .meta({ openapi: { method: "POST", path: "/auth/login", tags: ["auth"], protect: false, summary: "Sign in; returns a bearer token and sets the session cookie" } })
  .input(loginInput)
  .output(loginOutput)
  .mutation(async ({ ctx, input }) => {
    const [user] = await ctx.db
      .select()
      .from(users)
      .where(eq(sql`lower(${users.email})`, input.email.toLowerCase()))
      .limit(1);
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
    if (!user || !ok) throw new DomainError("INVALID_CREDENTIALS", "Email or password is incorrect");

    const principal = { userId: user.id, role: user.role, email: user.email, name: user.name };
    const { token, expiresAt } = await ctx.sessions.sign(principal);
    ctx.response.setCookie(SESSION_COOKIE, token, {
      maxAgeSeconds: ctx.sessions.ttlSeconds,
      secure: ctx.sessions.cookieSecure,
    });
    return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
  });
