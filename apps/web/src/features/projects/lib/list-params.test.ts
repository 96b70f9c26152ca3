import { describe, expect, it } from "vitest";
import { exportInputOf, listInputOf, listStateFromParams, listStateToParams, withListState } from "./list-params";

const owner = "0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10";

describe("listStateFromParams", () => {
  it("reads every filter from the URL", () => {
    const state = listStateFromParams(
      new URLSearchParams({ status: "active", owner, q: "apollo", sort: "name_asc", archived: "1" }),
    );
    expect(state).toEqual({ status: "active", ownerId: owner, q: "apollo", sort: "name_asc", includeArchived: true });
  });

  it("falls back to defaults for missing or bad values", () => {
    const state = listStateFromParams(new URLSearchParams({ status: "nope", owner: "me", sort: "random", archived: "yes" }));
    expect(state).toEqual({ status: undefined, ownerId: undefined, q: "", sort: "createdAt_desc", includeArchived: false });
  });
});

describe("listStateToParams", () => {
  it("omits defaults and round-trips", () => {
    expect(listStateToParams(listStateFromParams(new URLSearchParams())).toString()).toBe("");
    const params = new URLSearchParams({ status: "on_hold", owner, q: "x y", sort: "name_desc", archived: "1" });
    expect(listStateToParams(listStateFromParams(params)).toString()).toBe(params.toString());
  });

  it("withListState changes one filter and keeps the others", () => {
    const params = new URLSearchParams({ status: "active", q: "apollo" });
    expect(withListState(params, { status: undefined }).toString()).toBe("q=apollo");
    expect(withListState(params, { includeArchived: true }).toString()).toBe("status=active&q=apollo&archived=1");
  });
});

describe("listInputOf", () => {
  it("builds the project.list input without undefined keys", () => {
    const input = listInputOf({ status: undefined, ownerId: owner, q: "  apollo ", sort: "name_asc", includeArchived: false });
    expect(input).toEqual({ ownerId: owner, q: "apollo", sort: "name_asc", includeArchived: false, limit: 50 });
    expect(Object.keys(listInputOf(listStateFromParams(new URLSearchParams())))).toEqual(["includeArchived", "sort", "limit"]);
  });
});

describe("exportInputOf", () => {
  it("exports what the list shows: its filters and its sort, no paging", () => {
    const state = listStateFromParams(new URLSearchParams({ status: "active", q: " apollo ", sort: "name_asc" }));
    expect(exportInputOf(state)).toEqual({ status: "active", q: "apollo", includeArchived: false, sort: "name_asc" });
  });
});
