import type { Project } from "@trellis/api/schemas";
import { describe, expect, it } from "vitest";
import { KEPT_FOR_RETRY } from "../../intents/intent-paths";
import {
  emptyProjectForm,
  formValuesFromProject,
  intentFailureErrors,
  parseTags,
  projectFormErrorsFrom,
  toCreateInput,
  toPatch,
} from "./project-form";

const base: Project = {
  id: "6f1c1b9e-3f4e-4d55-9a43-2d1a3f7d9b10",
  name: "Apollo Migration",
  description: "Move it",
  status: "active",
  ownerId: "0b7c1f7e-8a4a-4c55-9f43-2d1a3f7d9b10",
  ownerName: "Eve",
  tags: ["backend", "q3"],
  budgetCents: 125050,
  dueDate: "2026-05-01",
  createdAt: new Date("2026-01-01T00:00:00Z"),
  updatedAt: new Date("2026-01-02T00:00:00Z"),
  archivedAt: null,
  version: 3,
};

describe("parseTags", () => {
  it("splits, trims, drops blanks and duplicates", () => {
    expect(parseTags(" a, b,, a ,c ")).toEqual(["a", "b", "c"]);
    expect(parseTags("")).toEqual([]);
  });
});

describe("toCreateInput", () => {
  it("converts form strings to the create input", () => {
    const result = toCreateInput({ ...emptyProjectForm, name: " New ", tags: "x, y", budget: "1,000.5", dueDate: "2026-12-31" });
    expect(result).toEqual({
      ok: true,
      value: { name: "New", description: "", status: "planning", tags: ["x", "y"], budgetCents: 100050, dueDate: "2026-12-31" },
    });
  });

  it("reports schema messages under each field", () => {
    const result = toCreateInput({ ...emptyProjectForm, name: " ", tags: `ok, ${"x".repeat(40)}`, budget: "-1", ownerId: "nope" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.name).toEqual(["Name is required"]);
    expect(result.errors.tags).toEqual(["Tag 2: Tags are at most 32 characters"]);
    expect(result.errors.budget).toEqual(["Budget cannot be negative"]);
    expect(result.errors.ownerId).toHaveLength(1);
  });

  it("reports budget text that is not an amount", () => {
    const result = toCreateInput({ ...emptyProjectForm, name: "A", budget: "lots" });
    expect(result).toEqual({ ok: false, errors: { budget: ["Enter an amount like 1250.50"] } });
  });
});

describe("toPatch", () => {
  it("sends only changed fields", () => {
    const values = { ...formValuesFromProject(base), name: "Apollo 2", status: "on_hold", budget: "1250.50" };
    expect(toPatch(values, base)).toEqual({ ok: true, value: { name: "Apollo 2", status: "on_hold" } });
  });

  it("can clear nullable fields", () => {
    const values = { ...formValuesFromProject(base), budget: "", dueDate: "", tags: "" };
    expect(toPatch(values, base)).toEqual({ ok: true, value: { budgetCents: null, dueDate: null, tags: [] } });
  });

  it("says when nothing changed", () => {
    expect(toPatch(formValuesFromProject(base), base)).toEqual({ ok: false, errors: { form: ["Nothing changed yet."] } });
  });

  it("validates with the patch schema", () => {
    const result = toPatch({ ...formValuesFromProject(base), name: "" }, base);
    expect(result).toEqual({ ok: false, errors: { name: ["Name is required"] } });
  });
});

describe("projectFormErrorsFrom", () => {
  const apiError = (message: string, data: Record<string, unknown>) => Object.assign(new Error(message), { data });

  it("puts server field errors under the form fields", () => {
    const error = apiError("Invalid", {
      httpStatus: 400,
      fieldErrors: { "patch.budgetCents": ["Budget cannot be negative"], "patch.tags.0": ["Too long"] },
    });
    expect(projectFormErrorsFrom(error, "patch")).toEqual({ budget: ["Budget cannot be negative"], tags: ["Tag 1: Too long"] });
    expect(projectFormErrorsFrom(apiError("x", { fieldErrors: { ownerId: ["No user with this id"] } }))).toEqual({
      ownerId: ["No user with this id"],
    });
  });

  it("falls back to the error message", () => {
    expect(projectFormErrorsFrom(apiError("This action needs one of the roles: editor, admin", { httpStatus: 403 }))).toEqual({
      form: ["This action needs one of the roles: editor, admin"],
    });
  });
});

describe("intentFailureErrors", () => {
  const apiError = (message: string, data: Record<string, unknown>) => Object.assign(new Error(message), { data });

  it("shows a final rejection like any form error", () => {
    const error = apiError("Invalid", { httpStatus: 400, fieldErrors: { "patch.name": ["Name is required"] } });
    expect(intentFailureErrors(error, { final: true, prefix: "patch" })).toEqual({ name: ["Name is required"] });
  });

  it("says a change without a final answer is kept", () => {
    expect(intentFailureErrors(new TypeError("Failed to fetch"), { final: false })).toEqual({
      form: ["Could not reach the server. Check your connection and try again.", KEPT_FOR_RETRY],
    });
  });
});
