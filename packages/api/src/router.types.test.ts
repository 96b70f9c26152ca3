import { describe, expectTypeOf, it } from "vitest";
import type { RouterInputs, RouterOutputs } from "./router.js";
import type { ProjectSort, ProjectStatus } from "./schemas.js";

// Enforced by the typecheck (`tsc --noEmit -p .`): sibling apps compile against these types,
// so a change here is a breaking change for them, not an implementation detail.

type ListItem = RouterOutputs["project"]["list"]["items"][number];

describe("router type contract", () => {
  it("project.list items carry real Dates (superjson) and a numeric version", () => {
    expectTypeOf<ListItem["createdAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<ListItem["updatedAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<ListItem["archivedAt"]>().toEqualTypeOf<Date | null>();
    expectTypeOf<ListItem["version"]>().toEqualTypeOf<number>();
    expectTypeOf<ListItem["id"]>().toEqualTypeOf<string>();
    expectTypeOf<ListItem["status"]>().toEqualTypeOf<ProjectStatus>();
    expectTypeOf<ListItem["tags"]>().toEqualTypeOf<string[]>();
    expectTypeOf<ListItem["budgetCents"]>().toEqualTypeOf<number | null>();
    // A calendar date, not a timestamp: "2030-01-31".
    expectTypeOf<ListItem["dueDate"]>().toEqualTypeOf<string | null>();
    expectTypeOf<RouterOutputs["project"]["list"]["nextCursor"]>().toEqualTypeOf<string | null>();
    // Every procedure returning a project returns the same shape.
    expectTypeOf<RouterOutputs["project"]["byId"]>().toEqualTypeOf<ListItem>();
    expectTypeOf<RouterOutputs["project"]["update"]>().toEqualTypeOf<ListItem>();
  });

  it("project inputs: optional list options, a required expectedVersion on writes", () => {
    type ListInput = RouterInputs["project"]["list"];
    expectTypeOf<ListInput["sort"]>().toEqualTypeOf<ProjectSort | undefined>();
    expectTypeOf<ListInput["limit"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<ListInput["cursor"]>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Record<never, never>>().toExtend<ListInput>();
    expectTypeOf<RouterInputs["project"]["update"]["expectedVersion"]>().toEqualTypeOf<number>();
    expectTypeOf<RouterInputs["project"]["archive"]>().toEqualTypeOf<{ id: string; expectedVersion: number }>();
    expectTypeOf<{ id: string }>().not.toExtend<RouterInputs["project"]["update"]>();
  });

  it("auth.login returns a token, its expiry as a Date and the user", () => {
    type Login = RouterOutputs["auth"]["login"];
    expectTypeOf<Login["token"]>().toEqualTypeOf<string>();
    expectTypeOf<Login["expiresAt"]>().toEqualTypeOf<Date>();
    expectTypeOf<Login["user"]["role"]>().toEqualTypeOf<"viewer" | "editor" | "admin">();
    expectTypeOf<RouterOutputs["auth"]["me"]>().toEqualTypeOf<Login["user"]>();
  });
});
