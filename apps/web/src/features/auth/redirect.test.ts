import { describe, expect, it } from "vitest";
import { loginPathFor, safeNext } from "./redirect";

describe("safeNext", () => {
  it("keeps same-site paths", () => {
    expect(safeNext("/projects?status=active")).toBe("/projects?status=active");
  });
  it("rejects other sites, the login page itself and nothing", () => {
    for (const bad of [null, "", "https://evil.example", "//evil.example", "/\\evil.example", "/login", "/login?next=/x"]) {
      expect(safeNext(bad)).toBe("/projects");
    }
  });
});

describe("loginPathFor", () => {
  it("remembers where the user was", () => {
    expect(loginPathFor({ pathname: "/projects", search: "?q=a b" })).toBe("/login?next=%2Fprojects%3Fq%3Da%20b");
    expect(loginPathFor({ pathname: "/", search: "" })).toBe("/login");
    expect(loginPathFor({ pathname: "/login", search: "?next=/x" })).toBe("/login");
  });
  it("round-trips through URLSearchParams and safeNext", () => {
    const path = loginPathFor({ pathname: "/projects/1/edit", search: "" });
    expect(safeNext(new URL(path, "http://x").searchParams.get("next"))).toBe("/projects/1/edit");
  });
});
