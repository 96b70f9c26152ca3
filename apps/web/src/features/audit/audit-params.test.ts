import { describe, expect, it } from "vitest";
import { auditExportHref, auditFilterOf, auditStateFromParams, auditStateToParams } from "./audit-params";

describe("audit filters in the URL", () => {
  it("round-trips valid filters and drops malformed ones", () => {
    const params = new URLSearchParams({ actor: "0b5c1f9e-4a4e-4a55-9d3c-8b1f0f0c1a2b", action: "role_changed", from: "2026-01-02", to: "2026-01-05" });
    const state = auditStateFromParams(params);
    expect(state).toEqual({ actorId: "0b5c1f9e-4a4e-4a55-9d3c-8b1f0f0c1a2b", action: "role_changed", from: "2026-01-02", to: "2026-01-05" });
    expect(auditStateToParams(state).toString()).toBe(params.toString());
    expect(auditStateFromParams(new URLSearchParams({ actor: "x", action: "dropped", from: "2026-13-40", to: "soon" }))).toEqual({
      actorId: undefined,
      action: undefined,
      from: undefined,
      to: undefined,
    });
  });

  it("turns days into an inclusive range of instants", () => {
    const f = auditFilterOf({ actorId: undefined, action: undefined, from: "2026-03-01", to: "2026-03-01" });
    expect(f.from).toEqual(new Date(2026, 2, 1));
    expect(f.to).toEqual(new Date(2026, 2, 2));
    expect(auditFilterOf({ actorId: undefined, action: undefined, from: undefined, to: undefined })).toEqual({});
  });

  it("builds the export link with the same filters", () => {
    expect(auditExportHref({ actorId: undefined, action: undefined, from: undefined, to: undefined })).toBe("/api/v1/audit/export.csv");
    const href = new URL(auditExportHref({ actorId: undefined, action: "logout", from: "2026-03-01", to: undefined }), "http://x");
    expect(href.pathname).toBe("/api/v1/audit/export.csv");
    expect(href.searchParams.get("action")).toBe("logout");
    expect(href.searchParams.get("from")).toBe(new Date(2026, 2, 1).toISOString());
    expect(href.searchParams.has("to")).toBe(false);
  });
});
