import {
  createContextInner,
  type CookieOptions,
  type ResponseControl,
  SESSION_COOKIE,
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

/** Builds the router context from a Fastify request; shared by the tRPC and REST adapters. */
export function contextFactory(deps: ContextDeps) {
  return async ({ req, res }: { req: FastifyRequest; res: FastifyReply }) => {
    const token = sessionTokenFrom(req.headers.authorization, req.cookies[SESSION_COOKIE]);
    const principal = token ? await deps.sessions.verify(token) : null;
    return createContextInner({
      ...deps,
      principal,
      requestId: req.id,
      response: responseControl(res),
    });
  };
}
