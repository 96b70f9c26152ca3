import { pipeline, Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Context } from "../../context.js";
import { neutralizeFormula } from "../../csv/formula.js";
import { createCaller } from "../../router.js";
import type { AuditEntry } from "./schemas.js";

const PAGE = 500;

export const auditCsvColumns = [
  "time",
  "source",
  "action",
  "actor_id",
  "actor_name",
  "actor_email",
  "target_type",
  "target_id",
  "target_label",
  "ip",
  "request_id",
  "details",
] as const;

// Audit rows hold text people typed (names, emails): every cell goes through it.
export { neutralizeFormula };

function csvRow(e: AuditEntry): string[] {
  const cells = [
    e.createdAt.toISOString(),
    e.source,
    e.action,
    e.actorId ?? "",
    e.actorName ?? "",
    e.actorEmail ?? "",
    e.targetType ?? "",
    e.targetId ?? "",
    e.targetLabel ?? "",
    e.ip ?? "",
    e.requestId,
    JSON.stringify(e.details),
  ];
  return cells.map(neutralizeFormula);
}

/** What pipeline reports when the reader destroys the stream (the host does when the connection closes). */
const consumerLeft = (err: NodeJS.ErrnoException) => err.code === "ERR_STREAM_PREMATURE_CLOSE" || err.code === "ABORT_ERR";

/** Where a failure after the download has started is reported (the host's request logger fits). */
export interface ExportLogger {
  error(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/**
 * The audit log as CSV, streamed page by page through audit.list, with its filters
 * (`actorId`, `action`, `from`, `to`). The first page is read before this returns, so a caller
 * who is not an admin, or sent bad filters, gets the procedure's error (401/403/400) instead of a
 * stream; later pages are read as the client consumes the stream (internal calls: the export
 * spends one request of the caller's budget, not one per page).
 *
 * A later page can still fail (the database goes away): by then the status line and part of the
 * file are sent, so the failure is logged (to `log`, else the services' log) and the stream is
 * destroyed with the error. The host then aborts the response, and the client sees a failed
 * download, never a short file that looks complete.
 */
export async function exportAuditCsv(ctx: Context, query: Record<string, unknown>, log?: ExportLogger): Promise<Readable> {
  const { limit: _l, cursor: _c, direction: _d, ...filter } = query;
  const first = await createCaller(ctx).audit.list({ ...(filter as object), limit: PAGE });
  const internal = createCaller({ ...ctx, surface: "internal" });
  async function* rows() {
    let page = first;
    for (;;) {
      for (const entry of page.items) yield csvRow(entry);
      if (!page.nextCursor) return;
      page = await internal.audit.list({ ...(filter as object), limit: PAGE, cursor: page.nextCursor });
    }
  }
  const report: ExportLogger = log ?? { error: (obj, msg) => ctx.services.log.warn(obj, msg), info: (obj, msg) => ctx.services.log.info(obj, msg) };
  const csv = stringify({ header: true, columns: [...auditCsvColumns] });
  return pipeline(Readable.from(rows()), csv, (err) => {
    if (!err) return;
    if (consumerLeft(err)) {
      // The client stopped reading (closed the tab, cancelled the download): nothing failed here.
      report.info({ requestId: ctx.requestId }, "audit export abandoned by the client");
      return;
    }
    report.error({ err, requestId: ctx.requestId }, "audit export failed after the download started");
    // pipeline has destroyed both streams with `err` already; said again so it never depends on that.
    csv.destroy(err);
  });
}
