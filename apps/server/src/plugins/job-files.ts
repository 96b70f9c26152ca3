import { errorData, openExportFile } from "@trellis/api";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyInstance } from "fastify";
import { type ContextDeps, contextFactory } from "../context.js";
import { REST_PREFIX } from "./rest.js";

export const EXPORT_FILE_PATH = `${REST_PREFIX}/exports/:id/file`;

/**
 * GET /api/v1/exports/{id}/file: a finished project export as a CSV download, streamed from the
 * database a chunk at a time. Authenticated like every REST route; who may is the job's (its
 * creator or an admin; anyone else 404 as for an unknown id). 409 while the job has not succeeded.
 */
export function registerJobFiles(app: FastifyInstance, deps: ContextDeps) {
  const createContext = contextFactory(deps, "rest");
  app.get<{ Params: { id: string } }>(EXPORT_FILE_PATH, async (req, reply) => {
    try {
      const ctx = await createContext({ req, res: reply });
      const answer = await openExportFile(ctx, req.params.id);
      if (!answer.ready) {
        // Same error shape as the REST procedures; the state says whether waiting will help.
        return reply.code(409).send({
          message: answer.message,
          code: "CONFLICT",
          data: { httpStatus: 409, code: "CONFLICT", reason: "EXPORT_NOT_READY", jobState: answer.state, requestId: req.id },
        });
      }
      const { file } = answer;
      file.body.on("error", (err) => req.log.error({ err, jobId: req.params.id }, "export download failed after it started"));
      return reply
        .type(file.contentType)
        .header("content-length", String(file.sizeBytes))
        .header("content-disposition", `attachment; filename="${file.filename}"`)
        .header("cache-control", "no-store")
        // One download per connection: an idle keep-alive socket left by a fully read file kept
        // server.close() waiting for the keep-alive timeout (72 s; seen with Postgres, in tests).
        .header("connection", "close")
        .send(file.body);
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error;
      const status = getHTTPStatusCodeFromError(error);
      if (status >= 500) req.log.error({ err: error.cause ?? error }, "export download failed");
      return reply.code(status).send({
        message: status >= 500 ? "Internal server error" : error.message,
        code: error.code,
        data: { httpStatus: status, ...errorData(error, req.id) },
      });
    }
  });
}
