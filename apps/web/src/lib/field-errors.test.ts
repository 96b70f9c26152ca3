import { z } from "zod";
import { describe, expect, it } from "vitest";
import { hasErrors, issuesToFieldErrors, toFormErrors } from "./field-errors";

const mapping = {
  fields: ["name", "tags", "budget"] as const,
  rename: { budgetCents: "budget" as const },
  itemLabel: { tags: "Tag" },
};

describe("toFormErrors", () => {
  it("maps server paths to form fields, with list positions", () => {
    expect(
      toFormErrors({ name: ["Name is required"], "tags.3": ["Too long"], budgetCents: ["Negative"] }, mapping),
    ).toEqual({ name: ["Name is required"], tags: ["Tag 4: Too long"], budget: ["Negative"] });
  });

  it("strips the input prefix of nested procedures", () => {
    expect(toFormErrors({ "patch.name": ["Bad"], patch: ["Change at least one field"] }, { ...mapping, prefix: "patch" })).toEqual({
      name: ["Bad"],
      form: ["Change at least one field"],
    });
  });

  it("keeps unknown paths and form errors visible at form level", () => {
    expect(toFormErrors({ mystery: ["?"] }, mapping, ["Whole form"])).toEqual({ form: ["Whole form", "?"] });
    expect(toFormErrors(undefined, mapping)).toEqual({});
  });
});

describe("issuesToFieldErrors", () => {
  it("produces the same dotted paths as the server", () => {
    const result = z.object({ name: z.string().min(1, "Required"), tags: z.array(z.string().max(2, "Long")) }).safeParse({
      name: "",
      tags: ["ok", "long"],
    });
    expect(result.success).toBe(false);
    expect(issuesToFieldErrors(result.error!.issues)).toEqual({ name: ["Required"], "tags.1": ["Long"] });
  });
});

describe("hasErrors", () => {
  it("ignores empty lists", () => {
    expect(hasErrors({})).toBe(false);
    expect(hasErrors({ name: [] })).toBe(false);
    expect(hasErrors({ form: ["x"] })).toBe(true);
  });
});
