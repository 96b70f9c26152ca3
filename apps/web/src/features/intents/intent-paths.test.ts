import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type IntentPath,
  intentPolicies,
  isStoredPath,
  KEPT_FOR_RETRY,
  KEPT_UNTIL_RELOAD,
  keptNote,
  type MutationInput,
  type MutationOutput,
  type MutationPath,
  viewPathOf,
} from "./intent-paths";

describe("intent paths", () => {
  it("are every mutation of the router, typed by path", () => {
    expectTypeOf<MutationPath>().toEqualTypeOf<
      | "project.create"
      | "project.update"
      | "project.archive"
      | "project.restore"
      | "project.revert"
      | "project.bulk"
      | "project.export"
      | "import.upload"
      | "import.dryRun"
      | "import.run"
      | "job.cancel"
      | "job.retry"
      | "admin.users.invite"
      | "admin.users.setRole"
      | "admin.users.deactivate"
      | "admin.users.reactivate"
      | "admin.users.revokeSessions"
      | "token.create"
      | "token.revoke"
      | "auth.login"
      | "auth.logout"
      | "auth.changePassword"
    >();
    expectTypeOf<MutationInput<"auth.changePassword">>().toHaveProperty("newPassword").toEqualTypeOf<string>();
    expectTypeOf<MutationOutput<"project.update">>().toHaveProperty("version").toEqualTypeOf<number>();
    expectTypeOf<MutationOutput<"token.create">>().toHaveProperty("token");
    expect(Object.keys(intentPolicies).sort()).toEqual(
      [
        "project.create",
        "project.update",
        "project.archive",
        "project.restore",
        "project.revert",
        "project.bulk",
        "project.export",
        "import.upload",
        "import.dryRun",
        "import.run",
        "job.cancel",
        "job.retry",
        "admin.users.invite",
        "admin.users.setRole",
        "admin.users.deactivate",
        "admin.users.reactivate",
        "admin.users.revokeSessions",
        "token.create",
        "token.revoke",
        "auth.changePassword",
      ].sort(),
    );
  });

  it("never store an intent whose input or answer is a secret", () => {
    expect(isStoredPath("auth.changePassword")).toBe(false);
    expect(isStoredPath("token.create")).toBe(false);
    expect(isStoredPath("admin.users.invite")).toBe(false);
    expect(isStoredPath("import.upload")).toBe(false);
    // Not intents at all, or not paths.
    for (const path of ["auth.login", "auth.logout", "user.delete", "toString", "__proto__", 42, null]) expect(isStoredPath(path)).toBe(false);
    for (const path of ["project.create", "project.update", "admin.users.deactivate", "token.revoke"]) expect(isStoredPath(path)).toBe(true);
  });

  it("say where a done intent can be seen and what happens to an unanswered one", () => {
    expect(viewPathOf("project.archive", { id: "p1" })).toBe("/projects/p1");
    expect(viewPathOf("admin.users.setRole", { ok: true })).toBe("/admin/users");
    expect(viewPathOf("token.revoke", { ok: true })).toBe("/tokens");
    expect(viewPathOf("project.bulk", { id: "j1" })).toBe("/jobs/j1");
    expect(viewPathOf("auth.changePassword", { ok: true })).toBeUndefined();
    expect(keptNote("project.update" satisfies IntentPath)).toBe(KEPT_FOR_RETRY);
    expect(keptNote("token.create")).toBe(KEPT_UNTIL_RELOAD);
  });
});
