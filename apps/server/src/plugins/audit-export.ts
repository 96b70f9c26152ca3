import { errorData, exportAuditCsv } from "@trellis/api";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { FastifyInstance } from "fastify";
import { type ContextDeps, contextFactory } from "../context.js";
import { REST_PREFIX } from "./rest.js";

export const AUDIT_EXPORT_PATH = `${REST_PREFIX}/audit/export.csv`;

/**
 * GET /api/v1/audit/export.csv?actorId&action&from&to: the audit log as a CSV download, streamed.
 * Admins only; who may and which filters are valid is decided by audit.list, which this pages through.
 */
export function registerAuditExport(app: FastifyInstance, deps: ContextDeps) {
  const createContext = contextFactory(deps, "rest");
  app.get(AUDIT_EXPORT_PATH, async (req, reply) => {
    let ctx: Awaited<ReturnType<typeof createContext>> | undefined;
    try {
      ctx = await createContext({ req, res: reply });
      // A page that fails once the download has started is logged with this request, and aborts it.
      const csv = await exportAuditCsv(ctx, req.query as Record<string, unknown>, req.log);
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="trellis-audit-${stamp}.csv"`)
        .header("cache-control", "no-store")
        .send(csv);
    } catch (error) {
      if (!(error instanceof TRPCError)) throw error;
      const status = getHTTPStatusCodeFromError(error);
      if (status >= 500) req.log.error({ err: error.cause ?? error }, "audit export failed");
      return reply.code(status).send({
        message: status >= 500 ? "Internal server error" : error.message,
        code: error.code,
        data: { httpStatus: status, ...errorData(error, req.id) },
      });
    }
  });
}
