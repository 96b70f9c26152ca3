import { SESSION_COOKIE, sessionTokenFrom } from "@trellis/api";
import type { FastifyRequest } from "fastify";

/**
 * The header the dashboard sends on every write (any value, e.g. `x-trellis-csrf: 1`). A page on
 * another origin cannot add a custom header without a CORS preflight, which only CORS_ORIGINS pass.
 */
export const CSRF_HEADER = "x-trellis-csrf";

const safeMethods = new Set(["GET", "HEAD", "OPTIONS"]);

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * Cross-site request forgery check for one request; returns why it is refused, or undefined.
 *
 * Only state-changing requests (not GET/HEAD/OPTIONS) that the session cookie authenticates are
 * checked: a bearer token is never sent by a browser on its own, so bearer requests are exempt
 * (the bearer token, when present, is what authenticates; the cookie is then ignored).
 * Such a request passes when its `Origin` is this server's own (same host as the request) or
 * listed in CORS_ORIGINS. Without an Origin header it passes with `x-trellis-csrf`, or when its
 * Referer is an allowed origin. A foreign or `null` Origin is refused even with the header.
 */
export function csrfRejection(req: FastifyRequest, allowedOrigins: ReadonlySet<string>): string | undefined {
  if (safeMethods.has(req.method)) return undefined;
  if (sessionTokenFrom(req.headers.authorization, undefined) !== undefined) return undefined;
  if (!req.cookies[SESSION_COOKIE]) return undefined;

  // Host only, not scheme: behind a TLS-terminating proxy the request arrives as http.
  const allowed = (origin: string) => allowedOrigins.has(origin) || hostOf(origin) === req.host;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    return allowed(origin) ? undefined : `Cross-site request refused: Origin ${origin} is not allowed to write with the session cookie`;
  }
  if (req.headers[CSRF_HEADER] !== undefined) return undefined;
  const referer = req.headers.referer;
  if (referer !== undefined) {
    let refererOrigin: string | undefined;
    try {
      refererOrigin = new URL(referer).origin;
    } catch {
      refererOrigin = undefined;
    }
    if (refererOrigin !== undefined && allowed(refererOrigin)) return undefined;
  }
  return `Cross-site request refused: a write with the session cookie needs an allowed Origin or the ${CSRF_HEADER} header`;
}
