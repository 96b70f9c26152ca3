import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../app/trpc";
import { isFinalFailure, messageOf } from "../../../lib/errors";
import { KEPT_FOR_RETRY } from "../../intents/intent-paths";
import type { ProjectChangeEvent } from "../../live/live-changes";
import { actorsSince } from "../lib/changes";
import type { MergeChoices } from "../lib/merge-view";
import { MergeDialog } from "./MergeDialog";
import type { MergeInProgress } from "./use-project-save";

/** The merge dialog of the edit page, told who made "theirs" and why a merged save failed. */
export function MergeStep({
  merge,
  events,
  saving,
  failure,
  ownerNames,
  onSave,
  onDiscardMine,
  onBack,
}: {
  merge: MergeInProgress;
  /** The live changes to this project since the editor opened. */
  events: readonly ProjectChangeEvent[];
  saving: boolean;
  failure: Error | null;
  ownerNames: ReadonlyMap<string, string>;
  onSave: (choices: MergeChoices) => void;
  onDiscardMine: () => void;
  onBack: () => void;
}) {
  const trpc = useTRPC();
  const { view } = merge;
  const history = useQuery(trpc.project.history.queryOptions({ id: view.base.id }));
  // Who made "theirs": from the history, or from the live changes until the history has caught up.
  const theirNames = namesBetween(history.data, events, view.base.version, view.theirs.version);
  return (
    <MergeDialog
      key={view.theirs.version}
      view={view}
      theirNames={theirNames}
      again={merge.again}
      saving={saving}
      errors={failure ? [messageOf(failure), ...(isFinalFailure(failure) ? [] : [KEPT_FOR_RETRY])] : undefined}
      ownerNames={ownerNames}
      onSave={onSave}
      onDiscardMine={onDiscardMine}
      onBack={onBack}
    />
  );
}

function namesBetween(
  history: ReadonlyArray<{ version: number; actorName: string }> | undefined,
  events: ReadonlyArray<{ version: number; actorName: string }>,
  from: number,
  to: number,
): string[] {
  const fromHistory = history ? actorsSince(history, from, to) : [];
  return fromHistory.length > 0 ? fromHistory : actorsSince(events, from, to);
}
