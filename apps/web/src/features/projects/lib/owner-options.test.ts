import { describe, expect, it } from "vitest";
import { ownerOptions } from "./owner-options";

const me = { id: "u-me", name: "Eve" };
const users = [
  { id: "u-a", name: "Amy" },
  { id: "u-me", name: "Eve" },
  { id: "u-z", name: "Zed" },
];

describe("ownerOptions", () => {
  it("offers everyone once, the signed-in user as Me", () => {
    expect(ownerOptions(users, me)).toEqual([
      { value: "u-me", label: "Me (Eve)" },
      { value: "u-a", label: "Amy" },
      { value: "u-z", label: "Zed" },
    ]);
  });

  it("puts a blank option first, and can leave Me to it (create form: no owner means me)", () => {
    expect(ownerOptions(users, me, { blank: "Me (Eve)", includeMe: false }).map((o) => o.value)).toEqual(["", "u-a", "u-z"]);
    expect(ownerOptions(users, me, { blank: "Anyone" }).map((o) => o.label)).toEqual(["Anyone", "Me (Eve)", "Amy", "Zed"]);
  });

  it("keeps a selected owner that is not among the users visible", () => {
    expect(ownerOptions(undefined, me, { selected: { id: "u-q", name: "Quinn" } })).toEqual([
      { value: "u-me", label: "Me (Eve)" },
      { value: "u-q", label: "Quinn" },
    ]);
    expect(ownerOptions(users, me, { blank: "Anyone", selected: { id: "0b7c1f7e-8a4a-4c55" } }).at(-1)).toEqual({
      value: "0b7c1f7e-8a4a-4c55",
      label: "User 0b7c1f7e…",
    });
    expect(ownerOptions(users, me, { selected: { id: "u-a", name: "Old name" } })).toHaveLength(3);
    expect(ownerOptions(users, me, { blank: "Anyone", selected: { id: "" } })).toHaveLength(4);
  });
});
