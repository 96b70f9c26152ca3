import { randomUUID } from "node:crypto";
import type { Db } from "@trellis/db";
import type { Kv } from "@trellis/kv";
import type { Principal, SessionSigner } from "./auth/session.js";

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
}

/** What procedures may ask of the HTTP response, without knowing the host. */
export interface ResponseControl {
  setCookie(name: string, value: string, opts: CookieOptions): void;
  clearCookie(name: string): void;
  setHeader(name: string, value: string): void;
}

export interface ContextInnerOptions {
  db: Db;
  kv: Kv;
  sessions: SessionSigner;
  principal?: Principal | null;
  requestId?: string;
  response?: ResponseControl;
}

const noResponse: ResponseControl = {
  setCookie() {},
  clearCookie() {},
  setHeader() {},
};

/** Pure context factory: adapters build it from a request, tests call it directly. */
export function createContextInner(opts: ContextInnerOptions) {
  return {
    db: opts.db,
    kv: opts.kv,
    sessions: opts.sessions,
    principal: opts.principal ?? null,
    requestId: opts.requestId ?? randomUUID(),
    response: opts.response ?? noResponse,
  };
}

export type Context = ReturnType<typeof createContextInner>;
