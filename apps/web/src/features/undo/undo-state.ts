import type { RouterInputs } from "@trellis/api";
import { joinNames } from "../projects/lib/changes";

/** How long Undo is offered after a save; hovering or focusing the offer pauses the clock. */
export const UNDO_WINDOW_MS = 8_000;

/** A write that can be undone by reverting to the version it replaced. */
export interface UndoOffer {
  /** Tells offers apart (a newer save replaces the offer of an older one). */
  id: number;
  projectId: string;
  projectName: string;
  /** The version the write replaced: Undo puts its values back. */
  previousVersion: number;
  /** The version the write made: Undo applies only while it is still the current one. */
  newVersion: number;
  /** What was done, for people: `Saved changes to “Apollo”`. */
  done: string;
}

export type UndoState =
  | { phase: "idle" }
  | { phase: "offered"; offer: UndoOffer }
  | { phase: "undoing"; offer: UndoOffer }
  | { phase: "undone"; offer: UndoOffer; version: number }
  /** The project changed after the write: undoing now would overwrite someone's change. */
  | { phase: "blocked"; offer: UndoOffer; names: string[]; currentVersion: number }
  | { phase: "failed"; offer: UndoOffer; message: string; final: boolean };

export type UndoAction =
  | { type: "offer"; offer: UndoOffer }
  | { type: "expire"; offerId: number }
  | { type: "start" }
  | { type: "undone"; version: number }
  | { type: "blocked"; names: string[]; currentVersion: number }
  | { type: "failed"; message: string; final: boolean }
  | { type: "dismiss" };

export const idleUndo: UndoState = { phase: "idle" };

/**
 * The Undo offer's life: offered until it expires, or clicked: undoing, then undone (which
 * expires in turn), blocked or failed (these stay until dismissed: they say something went
 * otherwise than asked). A new offer
 * replaces whatever was there. A failure that was not final (the request may not have arrived)
 * can be tried again.
 */
export function undoReducer(state: UndoState, action: UndoAction): UndoState {
  switch (action.type) {
    case "offer":
      return { phase: "offered", offer: action.offer };
    case "expire":
      return (state.phase === "offered" || state.phase === "undone") && state.offer.id === action.offerId ? idleUndo : state;
    case "start":
      return state.phase === "offered" || (state.phase === "failed" && !state.final) ? { phase: "undoing", offer: state.offer } : state;
    case "undone":
      return state.phase === "undoing" ? { phase: "undone", offer: state.offer, version: action.version } : state;
    case "blocked":
      return state.phase === "undoing"
        ? { phase: "blocked", offer: state.offer, names: action.names, currentVersion: action.currentVersion }
        : state;
    case "failed":
      return state.phase === "undoing" ? { phase: "failed", offer: state.offer, message: action.message, final: action.final } : state;
    case "dismiss":
      return idleUndo;
  }
}

/** The revert that undoes the offer's write, sent at once; it fails rather than overwrite a newer change. */
export function undoInput(offer: UndoOffer): RouterInputs["project"]["revert"] {
  return { id: offer.projectId, toVersion: offer.previousVersion, expectedVersion: offer.newVersion };
}

export function blockedMessage(names: readonly string[]): string {
  return `Can't undo: ${names.length > 0 ? joinNames(names) : "someone"} changed it since`;
}
