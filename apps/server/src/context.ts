import {
  createContextInner,
  type CookieOptions,
  type ResponseControl,
  SESSION_COOKIE,
  type Services,
  type SessionSigner,
  sessionTokenFrom,
} from "@trellis/api";
import type { Db } from "@trellis/db";
import type { Kv } from "@trellis/kv";
import type { FastifyReply, FastifyRequest } from "fastify";

export interface ContextDeps {
  db: Db;
  kv: Kv;
  sessions: SessionSigner;
  services: Services;
}

function responseControl(reply: FastifyReply): ResponseControl {
  return {
    setCookie(name: string, value: string, opts: CookieOptions) {
      reply.setCookie(name, value, {
        httpOnly: true,
        sameSite: "lax",
        secure: opts.secure,
        path: "/",
        maxAge: opts.maxAgeSeconds,
      });
    },
    clearCookie(name: string) {
      reply.clearCookie(name, { path: "/" });
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
  return async ({ req, res, info }: { req: FastifyRequest; res: FastifyReply; info?: { calls: unknown[] } }) => {
    const token = sessionTokenFrom(req.headers.authorization, req.cookies[SESSION_COOKIE]);
    const principal = token ? await deps.sessions.verify(token) : null;
    return createContextInner({
      ...deps,
      principal,
      requestId: req.id,
      response: responseControl(res),
      idempotencyKey: header(req, "idempotency-key"),
      ifMatch: header(req, "if-match"),
      surface,
      callsInRequest: info?.calls.length || 1,
    });
  };
}
