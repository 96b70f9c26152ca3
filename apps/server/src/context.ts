import {
  authenticate,
  createContextInner,
  DomainError,
  type CookieOptions,
  type ResponseControl,
  SESSION_COOKIE,
  type Services,
  type SessionSigner,
} from "@trellis/api";
import type { Db } from "@trellis/db";
import type { Kv } from "@trellis/kv";
import type { FastifyReply, FastifyRequest } from "fastify";
import { csrfRejection } from "./csrf.js";

export interface ContextDeps {
  db: Db;
  kv: Kv;
  sessions: SessionSigner;
  services: Services;
  /** CORS_ORIGINS: besides the server's own, the origins that may write with the session cookie. */
  allowedOrigins: ReadonlySet<string>;
}

/** The attributes of the session cookie; clearing it repeats them, so the clearing cookie is as strict. */
const cookieAttributes = (secure: boolean) => ({ httpOnly: true, sameSite: "lax" as const, secure, path: "/" });

function responseControl(reply: FastifyReply, cookieSecure: boolean): ResponseControl {
  return {
    setCookie(name: string, value: string, opts: CookieOptions) {
      reply.setCookie(name, value, { ...cookieAttributes(opts.secure), maxAge: opts.maxAgeSeconds });
    },
    clearCookie(name: string) {
      reply.clearCookie(name, cookieAttributes(cookieSecure));
    },
    setHeader(name: string, value: string) {
      reply.header(name, value);
    },
  };
}

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** Builds the router context from a Fastify request; shared by the tRPC and REST adapters. */
export function contextFactory(deps: ContextDeps, surface: "trpc" | "rest") {
  const { allowedOrigins, ...inner } = deps;
  return async ({ req, res, info }: { req: FastifyRequest; res: FastifyReply; info?: { calls: unknown[] } }) => {
    // Thrown here, before any procedure runs, and answered in the surface's error shape (403).
    const csrf = csrfRejection(req, allowedOrigins);
    if (csrf) throw new DomainError("CSRF_REJECTED", csrf);
    // Bearer (API token or access token) or session cookie, checked against the session/token
    // rows through the kv cache; a cookie nearing expiry is renewed on this response.
    const response = responseControl(res, inner.sessions.cookieSecure);
    const principal = await authenticate(inner, { authorization: req.headers.authorization, cookie: req.cookies[SESSION_COOKIE] }, response);
    return createContextInner({
      ...inner,
      principal,
      requestId: req.id,
      response,
      idempotencyKey: header(req, "idempotency-key"),
      ifMatch: header(req, "if-match"),
      surface,
      callsInRequest: info?.calls.length || 1,
      clientIp: req.ip,
      userAgent: header(req, "user-agent"),
    });
  };
}
