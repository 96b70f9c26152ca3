import { hashPassword, users, verifyPassword } from "@trellis/db";
import { eq, sql } from "drizzle-orm";
import { recordAuthEvent } from "../../audit/record.js";
import { startSession } from "../../auth/sessions.js";
import { DomainError } from "../../errors.js";
import { publicProcedure } from "../../procedures.js";
import { beginLoginAttempt } from "../../rate-limit/login-throttle.js";
import { loginInput, loginOutput } from "./schemas.js";

// Verified against when the email is unknown, so both paths cost one argon2 verification
// and response time does not reveal which emails exist.
const decoyHash = hashPassword("decoy-password-that-never-matches");

export const login = publicProcedure
  .meta({
    secretInput: ["password"],
    openapi: { method: "POST", path: "/auth/login", tags: ["auth"], protect: false, summary: "Sign in; returns a bearer token and sets the session cookie" },
  })
  .input(loginInput)
  .output(loginOutput)
  .mutation(async ({ ctx, input }) => {
    // Throttled (429 LOGIN_THROTTLED) after repeated failures, for known and unknown emails alike.
    const attempt = await beginLoginAttempt(ctx, input.email);
    const [user] = await ctx.db
      .select()
      .from(users)
      .where(eq(sql`lower(${users.email})`, input.email.toLowerCase()))
      .limit(1);
    const ok = await verifyPassword(user?.passwordHash ?? (await decoyHash), input.password);
    // A deactivated user gets the same answer as a wrong password: nothing tells them apart.
    if (!user || !ok || user.deactivatedAt) {
      await attempt.failed();
      await recordAuthEvent(ctx.db, ctx, {
        actorId: null,
        action: "login_failed",
        ...(user && { targetType: "user" as const, targetId: user.id }),
        details: { email: input.email, reason: !user ? "unknown_email" : !ok ? "wrong_password" : "deactivated" },
      });
      throw new DomainError("INVALID_CREDENTIALS", "Email or password is incorrect");
    }
    await attempt.succeeded();

    // A server-side session (what logout and revocation end) and a short-lived access token naming it.
    const { token, expiresAt } = await ctx.db.transaction(async (tx) => {
      const started = await startSession({ ...ctx, db: tx }, user.id);
      await recordAuthEvent(tx, ctx, { actorId: user.id, action: "login_succeeded", targetType: "session", targetId: started.sessionId });
      return started;
    });
    return { token, expiresAt, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
  });
