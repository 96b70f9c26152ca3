import { describe, expect, it } from "vitest";
import { savedState, wasReplayed } from "./saved-state";

describe("saved state", () => {
  it("round-trips a replay and ignores anything else", () => {
    expect(wasReplayed(savedState(true))).toBe(true);
    expect(savedState(false)).toBeUndefined();
    for (const other of [undefined, null, "replayed", { saved: "yes" }, { usr: {} }]) expect(wasReplayed(other)).toBe(false);
  });
});
