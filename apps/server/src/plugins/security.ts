import cors from "@fastify/cors";
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import { CSRF_HEADER } from "../csrf.js";

/**
 * The dashboard's policy: its script and stylesheet are files Vite emits under /assets (no inline
 * code), its icon is a data: URI, and it talks only to its own origin (fetch and EventSource).
 * React's `style={...}` goes through the CSSOM, which CSP does not restrict.
 */
export const dashboardCsp = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/**
 * The Swagger UI at /api-docs (its own scripts and styles, no inline code) additionally shows
 * the online validator's badge and data: images, and sets inline styles on some elements.
 */
export const apiDocsCsp = {
  ...dashboardCsp,
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:", "https://validator.swagger.io"],
};

const serialize = (directives: Record<string, string[]>, https: boolean) =>
  [...Object.entries(directives).map(([k, v]) => `${k} ${v.join(" ")}`), ...(https ? ["upgrade-insecure-requests"] : [])].join(";");

/** Headers every response may need to expose to an allowed cross-origin caller. */
const exposedHeaders = [
  "ETag",
  "Retry-After",
  "RateLimit-Limit",
  "RateLimit-Remaining",
  "RateLimit-Reset",
  "X-Request-Id",
  "Idempotent-Replayed",
];

/**
 * Security headers (helmet) with the CSPs above, and CORS for the origins in CORS_ORIGINS only
 * (none by default: the dashboard is same-origin and needs no CORS).
 */
export async function registerSecurity(app: FastifyInstance, opts: { corsOrigins: readonly string[]; https: boolean }) {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...dashboardCsp, ...(opts.https ? { "upgrade-insecure-requests": [] } : {}) },
    },
    // Browsers ignore HSTS over plain HTTP; send it only where it means something.
    strictTransportSecurity: opts.https,
    // Nothing leaks to other sites, while the dashboard's own requests keep their Referer (the
    // CSRF check's fallback for a browser that omits Origin).
    referrerPolicy: { policy: "same-origin" },
    xFrameOptions: { action: "deny" },
  });
  const docsPolicy = serialize(apiDocsCsp, opts.https);
  app.addHook("onSend", async (req, reply, payload) => {
    if (req.url === "/api-docs" || req.url.startsWith("/api-docs/")) reply.header("content-security-policy", docsPolicy);
    return payload;
  });

  await app.register(cors, {
    origin: opts.corsOrigins.length > 0 ? [...opts.corsOrigins] : false,
    credentials: true,
    methods: ["GET", "HEAD", "POST", "PATCH", "PUT", "DELETE"],
    allowedHeaders: [
      "authorization",
      "content-type",
      "idempotency-key",
      "if-match",
      "if-none-match",
      "x-request-id",
      CSRF_HEADER,
      "trpc-accept",
      "last-event-id",
    ],
    exposedHeaders,
    maxAge: 600,
  });
}
