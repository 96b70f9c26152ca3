import { type AuditAction, auditActions } from "@trellis/api/schemas";
import { z } from "zod";

/** The audit page's filters as the URL holds them (dates as YYYY-MM-DD, local days, `to` inclusive). */
export interface AuditFilterState {
  actorId: string | undefined;
  action: AuditAction | undefined;
  from: string | undefined;
  to: string | undefined;
}

const uuid = z.uuid();
const day = z.iso.date();

/** Unknown or malformed values are dropped instead of failing the request. */
export function auditStateFromParams(params: URLSearchParams): AuditFilterState {
  const actor = uuid.safeParse(params.get("actor"));
  const action = params.get("action");
  const from = day.safeParse(params.get("from"));
  const to = day.safeParse(params.get("to"));
  return {
    actorId: actor.success ? actor.data : undefined,
    action: auditActions.find((a) => a === action),
    from: from.success ? from.data : undefined,
    to: to.success ? to.data : undefined,
  };
}

export function auditStateToParams(state: AuditFilterState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.actorId) params.set("actor", state.actorId);
  if (state.action) params.set("action", state.action);
  if (state.from) params.set("from", state.from);
  if (state.to) params.set("to", state.to);
  return params;
}

/** Start of a local calendar day, as the instant the API filters on. */
function startOfDay(date: string): Date {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** The API's filter: `from` is the start of its day, `to` the start of the day after (so the day is included). */
export function auditFilterOf(state: AuditFilterState): { actorId?: string; action?: AuditAction; from?: Date; to?: Date } {
  const filter: { actorId?: string; action?: AuditAction; from?: Date; to?: Date } = {};
  if (state.actorId) filter.actorId = state.actorId;
  if (state.action) filter.action = state.action;
  if (state.from) filter.from = startOfDay(state.from);
  if (state.to) {
    const end = startOfDay(state.to);
    end.setDate(end.getDate() + 1);
    filter.to = end;
  }
  return filter;
}

/** The CSV download for the same filters. */
export function auditExportHref(state: AuditFilterState): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(auditFilterOf(state))) {
    query.set(key, value instanceof Date ? value.toISOString() : value);
  }
  const qs = query.toString();
  return `/api/v1/audit/export.csv${qs ? `?${qs}` : ""}`;
}
