import { useQueryClient } from "@tanstack/react-query";
import { type Dispatch, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { useTRPC } from "../../app/trpc";
import { messageOf, versionConflictOf } from "../../lib/errors";
import { Button } from "../../ui/Button";
import { DismissButton, Toast } from "../../ui/Toast";
import { KEPT_FOR_RETRY } from "../intents/intent-paths";
import { useIntent } from "../intents/use-intent";
import { useProjectWritten } from "../projects/hooks/use-project-written";
import { actorsSince } from "../projects/lib/changes";
import { blockedMessage, UNDO_WINDOW_MS, type UndoAction, undoInput, type UndoOffer, type UndoState } from "./undo-state";

export function UndoToast({ state, dispatch }: { state: UndoState; dispatch: Dispatch<UndoAction> }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const projectWritten = useProjectWritten();
  const running = useRef<UndoOffer | null>(null);

  // Undo is a revert sent at once, as its own intent (key). It names the version it undoes as
  // expectedVersion, so if anyone changed the project since, it is refused instead of overwriting them.
  const revert = useIntent("project.revert", {
    onSuccess: (project) => dispatch({ type: "undone", version: project.version }),
    onError: (error, { final }) => {
      const conflict = versionConflictOf(error);
      const offer = running.current;
      if (!conflict || !offer) {
        dispatch({ type: "failed", message: messageOf(error), final });
        return;
      }
      if (conflict.current) projectWritten(conflict.current);
      void (async () => {
        let names: string[] = [];
        try {
          const history = await queryClient.fetchQuery({ ...trpc.project.history.queryOptions({ id: offer.projectId }), staleTime: 0 });
          names = actorsSince(history, offer.newVersion, conflict.currentVersion);
        } catch {
          // Said without names then.
        }
        dispatch({ type: "blocked", names, currentVersion: conflict.currentVersion });
      })();
    },
  });

  const undo = (offer: UndoOffer) => {
    running.current = offer;
    dispatch({ type: "start" });
    revert.submit(undoInput(offer), `Undo: ${offer.done} (back to version ${offer.previousVersion})`);
  };

  // The offer (and a success message) goes away after UNDO_WINDOW_MS; pointing at it or
  // focusing it stops the clock, so nobody loses it while reaching for the button.
  const [paused, setPaused] = useState(false);
  const remaining = useRef(UNDO_WINDOW_MS);
  const timedOfferId = state.phase === "offered" || state.phase === "undone" ? state.offer.id : undefined;
  const windowKey = timedOfferId === undefined ? "" : `${timedOfferId}:${state.phase}`;
  useEffect(() => {
    remaining.current = UNDO_WINDOW_MS;
  }, [windowKey]);
  useEffect(() => {
    if (timedOfferId === undefined || paused) return;
    const started = Date.now();
    const timer = setTimeout(() => dispatch({ type: "expire", offerId: timedOfferId }), remaining.current);
    return () => {
      clearTimeout(timer);
      remaining.current = Math.max(0, remaining.current - (Date.now() - started));
    };
  }, [timedOfferId, paused, windowKey, dispatch]);

  if (state.phase === "idle") return null;
  const { offer } = state;
  const dismiss = <DismissButton onDismiss={() => dispatch({ type: "dismiss" })} />;
  return (
    <Toast label="Undo" warning={state.phase === "blocked" || state.phase === "failed"} onPausedChange={setPaused}>
      {state.phase === "offered" && (
        <>
          <p>
            {offer.done} (now version {offer.newVersion}).
          </p>
          <Button small primary onClick={() => undo(offer)}>
            Undo
          </Button>
          {dismiss}
        </>
      )}
      {state.phase === "undoing" && <p>Undoing…</p>}
      {state.phase === "undone" && (
        <>
          <p>
            Undone: “{offer.projectName}” has the values of version {offer.previousVersion} again (now version {state.version}).
          </p>
          {dismiss}
        </>
      )}
      {state.phase === "blocked" && (
        <>
          <p>
            <strong>{blockedMessage(state.names)}</strong> (now version {state.currentVersion}). Nothing was changed.{" "}
            <Link to={`/projects/${offer.projectId}/history`}>See history</Link>
          </p>
          {dismiss}
        </>
      )}
      {state.phase === "failed" && (
        <>
          <p>
            Could not undo: {state.message}
            {!state.final && <span className="muted small"> {KEPT_FOR_RETRY}</span>}
          </p>
          {!state.final && (
            <Button small onClick={() => undo(offer)}>
              Try again
            </Button>
          )}
          {dismiss}
        </>
      )}
    </Toast>
  );
}
