import type { Project, ProjectPatch, ProjectSnapshot } from "@trellis/api/schemas";
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { useNavigate } from "react-router";
import { useTRPC } from "../../../app/trpc";
import { messageOf, versionConflictOf } from "../../../lib/errors";
import { useIntent } from "../../intents/use-intent";
import { useOfferUndo } from "../../undo/UndoProvider";
import { useProjectWritten } from "../hooks/use-project-written";
import { applyPatch, buildMergeView, type MergeChoices, mergedSave, type MergeView } from "../lib/merge-view";
import { intentFailureErrors, type ProjectFormErrors } from "../lib/project-form";
import { savedState } from "../lib/saved-state";

/** One save as sent: the version it was based on and the full field values it asked for. */
interface SaveAttempt {
  base: Project;
  mine: ProjectSnapshot;
  /** A "Save merged" from the merge dialog (its failures are shown there). */
  merged: boolean;
}

export interface MergeInProgress {
  view: MergeView;
  /** A merged save lost to yet another change. */
  again: boolean;
}

/**
 * Saving the edit form. One save is one intent: saving the same changes again (after a timeout, a
 * dropped connection) reuses its key, so the server replays the first save instead of conflicting
 * with it. A success offers Undo and goes to the project. A save refused because the project moved
 * on opens the merge (base, mine and theirs side by side); other refusals become form errors, or,
 * for a merged save, the dialog's `mergeFailure`.
 */
export function useProjectSave({ onFormErrors }: { onFormErrors: (errors: ProjectFormErrors) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const projectWritten = useProjectWritten();
  const offerUndo = useOfferUndo();
  const attempt = useRef<SaveAttempt | null>(null);
  const [merge, setMerge] = useState<MergeInProgress | null>(null);

  const update = useIntent("project.update", {
    onSuccess: (saved, { replayed }) => {
      offerUndo({
        projectId: saved.id,
        projectName: saved.name,
        previousVersion: attempt.current?.base.version ?? saved.version - 1,
        newVersion: saved.version,
        done: `Saved “${saved.name}”`,
      });
      void navigate(`/projects/${saved.id}`, { state: savedState(replayed) });
    },
    onError: (error, { final }) => {
      const tried = attempt.current;
      const conflict = versionConflictOf(error);
      if (conflict && tried) void openMerge(tried, conflict.current);
      else if (!tried?.merged) onFormErrors(intentFailureErrors(error, { final, prefix: "patch" }));
    },
  });

  const openMerge = async (tried: SaveAttempt, current: Project | undefined) => {
    try {
      const theirs =
        current ?? (await queryClient.fetchQuery({ ...trpc.project.byId.queryOptions({ id: tried.base.id }), staleTime: 0 }));
      projectWritten(theirs);
      setMerge({ view: buildMergeView(tried.base, tried.mine, theirs), again: tried.merged });
    } catch (error) {
      onFormErrors({ form: [messageOf(error)] });
    }
  };

  /** Saves `patch` against `base`, the version the form was loaded at. */
  const save = (base: Project, patch: ProjectPatch) => {
    attempt.current = { base, mine: applyPatch(base, patch), merged: false };
    update.submit({ id: base.id, expectedVersion: base.version, patch }, `Save changes to “${base.name}”`);
  };

  /**
   * "Save merged": a new intent (new key) against their version, patching theirs into the result.
   * If that loses too, the merge opens again against the newer state, with this result as "mine".
   * "unchanged": their version already has the result, there is nothing to save.
   */
  const saveMerged = (choices: MergeChoices): "sent" | "unchanged" | "undecided" => {
    if (!merge) return "undecided";
    const plan = mergedSave(merge.view, choices);
    if (!plan.ok) return "undecided";
    if (Object.keys(plan.patch).length === 0) return "unchanged";
    const { theirs } = merge.view;
    update.abandon();
    attempt.current = { base: theirs, mine: plan.resolved, merged: true };
    update.submit({ id: theirs.id, expectedVersion: plan.expectedVersion, patch: plan.patch }, `Save merged changes to “${theirs.name}”`);
    return "sent";
  };

  /** Drops the save: its intent, its outcome and any merge in progress (the form starts over). */
  const forget = () => {
    update.abandon();
    update.reset();
    attempt.current = null;
    setMerge(null);
  };

  /** Closes the merge dialog; the form keeps its edits. */
  const closeMerge = () => {
    setMerge(null);
    update.reset();
  };

  return {
    save,
    saveMerged,
    forget,
    closeMerge,
    /** The user changed the form: its next save is another intent. */
    abandon: update.abandon,
    saving: update.isPending,
    merge,
    /** Why the last merged save failed, when it was not a newer version (that reopens the merge). */
    mergeFailure: merge && update.error && !versionConflictOf(update.error) ? update.error : null,
  };
}
