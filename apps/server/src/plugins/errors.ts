import type { FastifyError, FastifyInstance } from "fastify";

const codeByStatus: Record<number, string> = {
  400: "BAD_REQUEST",
  401: "UNAUTHORIZED",
  404: "NOT_FOUND",
  413: "PAYLOAD_TOO_LARGE",
  415: "UNSUPPORTED_MEDIA_TYPE",
  429: "TOO_MANY_REQUESTS",
};

/** Fastify's messages can quote the request (a Content-Type header of up to 16 KB): cut them. */
const MAX_MESSAGE_LENGTH = 500;
const bounded = (message: string) => (message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH - 1)}…` : message);

/**
 * Errors raised by Fastify itself before a procedure runs (malformed JSON, body too large,
 * wrong content type) answer in the same shape as procedure errors.
 */
export function registerErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) req.log.error({ err: error }, "request failed");
    const message = status >= 500 ? "Internal server error" : bounded(error.message);
    return reply.code(status).send({
      message,
      code: codeByStatus[status] ?? (status >= 500 ? "INTERNAL_SERVER_ERROR" : "BAD_REQUEST"),
      data: { httpStatus: status, requestId: req.id, reason: error.code },
    });
  });
}
