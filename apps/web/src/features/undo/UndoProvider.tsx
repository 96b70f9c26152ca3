import { createContext, type ReactNode, useCallback, useContext, useReducer, useRef } from "react";
import { idleUndo, type UndoOffer, undoReducer } from "./undo-state";
import { UndoToast } from "./UndoToast";

type OfferUndo = (offer: Omit<UndoOffer, "id">) => void;

const OfferUndoContext = createContext<OfferUndo | null>(null);

/** Holds the one Undo offer of the signed-in pages; it survives navigation (a save leaves the edit page). */
export function UndoProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(undoReducer, idleUndo);
  const nextId = useRef(0);
  const offerUndo = useCallback<OfferUndo>((offer) => dispatch({ type: "offer", offer: { ...offer, id: ++nextId.current } }), []);
  return (
    <OfferUndoContext value={offerUndo}>
      {children}
      <UndoToast state={state} dispatch={dispatch} />
    </OfferUndoContext>
  );
}

/** Offers Undo for a write that just succeeded (replacing any earlier offer). */
export function useOfferUndo(): OfferUndo {
  const offer = useContext(OfferUndoContext);
  if (!offer) throw new Error("useOfferUndo must be used below <UndoProvider>");
  return offer;
}
