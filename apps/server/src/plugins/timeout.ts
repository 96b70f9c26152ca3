import type { FastifyInstance, FastifyRequest } from "fastify";

/**
 * Answers 503 (reason REQUEST_TIMEOUT, Retry-After) when a request has not been answered within
 * `timeoutMs` of arriving, receiving its body included, so a stuck dependency or a client that
 * trickles its body cannot hold a request open indefinitely. Long-lived streams (`exempt`: a GET
 * of a tRPC subscription, whose request is complete once its headers are in) are not timed. The
 * work itself is not cancelled: a mutation that commits afterwards is kept, and a retry with the
 * same Idempotency-Key replays it.
 */
export function registerRequestTimeout(app: FastifyInstance, opts: { timeoutMs: number; exempt(req: FastifyRequest): boolean }) {
  app.addHook("onRequest", (req, reply, done) => {
    if (opts.exempt(req)) return done();
    const url = req.url; // as received: adapters may rewrite it on the way
    const timer = setTimeout(() => {
      if (reply.sent || reply.raw.headersSent) return;
      req.log.warn({ url, timeoutMs: opts.timeoutMs }, "request timed out");
      void reply
        .code(503)
        .header("retry-after", "1")
        .header("connection", "close")
        .send({
          message: `The server did not answer within ${opts.timeoutMs} ms; retry (with the same Idempotency-Key for a write)`,
          code: "SERVICE_UNAVAILABLE",
          data: { httpStatus: 503, reason: "REQUEST_TIMEOUT", requestId: req.id },
        });
    }, opts.timeoutMs);
    reply.raw.once("close", () => clearTimeout(timer));
    done();
  });
}
