import { describe, expect, it } from "vitest";
import { blockedMessage, idleUndo, type UndoOffer, type UndoState, undoInput, undoReducer } from "./undo-state";

const offer: UndoOffer = {
  id: 1,
  projectId: "6f1c1b9e-3f4e-4d55-9a43-2d1a3f7d9b10",
  projectName: "Apollo",
  previousVersion: 2,
  newVersion: 3,
  done: "Saved changes to “Apollo”",
};
const offered: UndoState = { phase: "offered", offer };
const undoing: UndoState = { phase: "undoing", offer };

describe("undoReducer", () => {
  it("expires an untouched offer, and only that offer", () => {
    expect(undoReducer(offered, { type: "expire", offerId: 1 })).toEqual(idleUndo);
    expect(undoReducer(offered, { type: "expire", offerId: 0 })).toBe(offered);
  });

  it("keeps a clicked offer past its expiry while it runs; a success expires in its turn", () => {
    const started = undoReducer(offered, { type: "start" });
    expect(started).toEqual(undoing);
    expect(undoReducer(started, { type: "expire", offerId: 1 })).toBe(started);
    const done = undoReducer(started, { type: "undone", version: 4 });
    expect(done).toEqual({ phase: "undone", offer, version: 4 });
    expect(undoReducer(done, { type: "expire", offerId: 1 })).toEqual(idleUndo);
    expect(undoReducer(done, { type: "dismiss" })).toEqual(idleUndo);
  });

  it("keeps a blocked or failed undo until it is dismissed", () => {
    const blocked = undoReducer(undoing, { type: "blocked", names: [], currentVersion: 4 });
    expect(undoReducer(blocked, { type: "expire", offerId: 1 })).toBe(blocked);
    const failed = undoReducer(undoing, { type: "failed", message: "x", final: true });
    expect(undoReducer(failed, { type: "expire", offerId: 1 })).toBe(failed);
    expect(undoReducer(failed, { type: "dismiss" })).toEqual(idleUndo);
  });

  it("reports a blocked undo with who changed it", () => {
    expect(undoReducer(undoing, { type: "blocked", names: ["Eve"], currentVersion: 4 })).toEqual({
      phase: "blocked",
      offer,
      names: ["Eve"],
      currentVersion: 4,
    });
  });

  it("lets a failure that may not have arrived be tried again, not a final one", () => {
    const retryable = undoReducer(undoing, { type: "failed", message: "offline", final: false });
    expect(undoReducer(retryable, { type: "start" })).toEqual(undoing);
    const final = undoReducer(undoing, { type: "failed", message: "nope", final: true });
    expect(undoReducer(final, { type: "start" })).toBe(final);
  });

  it("ignores outcomes of an undo that is not running, and a second start", () => {
    expect(undoReducer(offered, { type: "undone", version: 4 })).toBe(offered);
    expect(undoReducer(idleUndo, { type: "start" })).toBe(idleUndo);
    expect(undoReducer(undoing, { type: "start" })).toBe(undoing);
  });

  it("replaces any state with a new offer", () => {
    const next = { ...offer, id: 2 };
    expect(undoReducer(undoReducer(undoing, { type: "undone", version: 4 }), { type: "offer", offer: next })).toEqual({
      phase: "offered",
      offer: next,
    });
  });
});

describe("undoInput / blockedMessage", () => {
  it("reverts to the replaced version, expecting the written one", () => {
    expect(undoInput(offer)).toEqual({ id: offer.projectId, toVersion: 2, expectedVersion: 3 });
  });
  it("names who changed it", () => {
    expect(blockedMessage(["Test editor"])).toBe("Can't undo: Test editor changed it since");
    expect(blockedMessage(["Ann", "Bo"])).toBe("Can't undo: Ann and Bo changed it since");
    expect(blockedMessage([])).toBe("Can't undo: someone changed it since");
  });
});
