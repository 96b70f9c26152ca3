import { type Project, type ProjectSnapshot, projectIdSchema } from "@trellis/api/schemas";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ErrorNotice } from "../components/ErrorNotice";
import { MergeDialog } from "../components/MergeDialog";
import { NoWriteAccess } from "../components/NoWriteAccess";
import { ProjectForm } from "../components/ProjectForm";
import { RemoteChangeNotice } from "../components/RemoteChangeNotice";
import { useCurrentUser } from "../hooks/current-user";
import { useOwnerNames } from "../hooks/use-owner-names";
import { useProjectForm } from "../hooks/use-project-form";
import { useProjectWritten } from "../hooks/use-project-written";
import { useIntent } from "../intents";
import { actorsSince, projectDiff } from "../lib/changes";
import { isFinalFailure, isNotFound, messageOf, versionConflictOf } from "../lib/errors";
import { canWrite } from "../lib/labels";
import { remoteChangeSummary } from "../lib/live-changes";
import { applyPatch, buildMergeView, type MergeChoices, mergedSave, type MergeView } from "../lib/merge-view";
import { ownerOptions, USERS_STALE_MS } from "../lib/owner-options";
import { formValuesFromProject, intentFailureErrors, KEPT_FOR_RETRY, type ProjectFormField, toPatch } from "../lib/project-form";
import { savedState } from "../lib/saved-state";
import { useProjectChangeEvents } from "../live";
import { useTRPC } from "../trpc";
import { useOfferUndo } from "../undo";
import { NotFoundPage } from "./NotFoundPage";

export function EditProjectPage() {
  const { id = "" } = useParams();
  const user = useCurrentUser();
  if (!projectIdSchema.safeParse(id).success) return <NotFoundPage what="project" />;
  if (!canWrite(user.role)) return <NoWriteAccess backTo={`/projects/${id}`} />;
  return <EditLoader key={id} id={id} />;
}

function EditLoader({ id }: { id: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.project.byId.queryOptions({ id }));
  // Once loaded, the form stays even if a background refetch (a live update) fails: it holds edits.
  if (query.data) return <EditForm latest={query.data} />;
  if (query.isError) {
    if (isNotFound(query.error)) return <NotFoundPage what="project" />;
    return <ErrorNotice title="Could not load the project" error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <p className="page-status" role="status">Loading project…</p>;
}

/** One save as sent: the version it was based on and the full field values it asked for. */
interface SaveAttempt {
  base: Project;
  mine: ProjectSnapshot;
  /** A "Save merged" from the merge dialog (its failures are shown there). */
  merged: boolean;
}

/**
 * The form's base is the version it was loaded at and stays so while the user edits, even as live
 * updates refresh the cached project (`latest`) underneath: a change elsewhere is announced, never
 * applied to the form. Saving sends the base version as expectedVersion; if the project moved on,
 * the save is refused and the merge dialog puts base, mine and theirs side by side.
 */
function EditForm({ latest }: { latest: Project }) {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const projectWritten = useProjectWritten();
  const offerUndo = useOfferUndo();
  const [base, setBase] = useState(latest);
  const form = useProjectForm(() => formValuesFromProject(latest));
  const [reloading, setReloading] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const users = useQuery(trpc.user.list.queryOptions(undefined, { staleTime: USERS_STALE_MS }));
  const ownerNames = useOwnerNames([base, latest].map((p) => ({ id: p.ownerId, name: p.ownerName })));
  const events = useProjectChangeEvents(base.id);

  const attempt = useRef<SaveAttempt | null>(null);
  const [merge, setMerge] = useState<{ view: MergeView; again: boolean } | null>(null);
  const history = useQuery({ ...trpc.project.history.queryOptions({ id: base.id }), enabled: merge !== null });

  // One save is one intent: saving the same changes again (after a timeout, a dropped
  // connection) reuses its key, so the server replays the first save instead of conflicting with it.
  const update = useIntent("project.update", {
    onSuccess: (saved, { replayed }) => {
      projectWritten(saved);
      offerUndo({
        projectId: saved.id,
        projectName: saved.name,
        previousVersion: attempt.current?.base.version ?? saved.version - 1,
        newVersion: saved.version,
        done: `Saved “${saved.name}”`,
      });
      navigate(`/projects/${saved.id}`, { state: savedState(replayed) });
    },
    onError: (error, { final }) => {
      const tried = attempt.current;
      const conflict = versionConflictOf(error);
      if (conflict && tried) void openMerge(tried, conflict.current);
      else if (!tried?.merged) form.setErrors(intentFailureErrors(error, { final, prefix: "patch" }));
    },
  });

  const openMerge = async (tried: SaveAttempt, current: Project | undefined) => {
    try {
      const theirs =
        current ?? (await queryClient.fetchQuery({ ...trpc.project.byId.queryOptions({ id: tried.base.id }), staleTime: 0 }));
      projectWritten(theirs);
      setMerge({ view: buildMergeView(tried.base, tried.mine, theirs), again: tried.merged });
    } catch (error) {
      form.setErrors({ form: [messageOf(error)] });
    }
  };

  const setField = (field: ProjectFormField, value: string) => {
    update.abandon();
    setNote(null);
    form.setField(field, value);
  };

  const submit = () => {
    const result = toPatch(form.values, base);
    if (!result.ok) {
      form.setErrors(result.errors);
      return;
    }
    setNote(null);
    attempt.current = { base, mine: applyPatch(base, result.value), merged: false };
    update.submit({ id: base.id, expectedVersion: base.version, patch: result.value }, `Save changes to “${base.name}”`);
  };

  /** Starts over from `project`: the user's edits and any merge in progress are dropped. */
  const loadIntoForm = (project: Project) => {
    update.abandon();
    update.reset();
    attempt.current = null;
    setMerge(null);
    setBase(project);
    form.reset(formValuesFromProject(project));
  };

  const reloadLatest = async () => {
    setReloading(true);
    try {
      const fresh = await queryClient.fetchQuery({ ...trpc.project.byId.queryOptions({ id: base.id }), staleTime: 0 });
      projectWritten(fresh);
      loadIntoForm(fresh);
    } catch (error) {
      form.setErrors({ form: [messageOf(error)] });
    } finally {
      setReloading(false);
    }
  };

  // "Save merged": a new intent (new key) against their version, patching theirs into the result.
  // If that loses too, the dialog opens again against the newer state, with this result as "mine".
  const saveMerged = (choices: MergeChoices) => {
    if (!merge) return;
    const plan = mergedSave(merge.view, choices);
    if (!plan.ok) return;
    const { theirs } = merge.view;
    if (Object.keys(plan.patch).length === 0) {
      loadIntoForm(theirs);
      setNote(`Nothing to save: version ${theirs.version} already has these values.`);
      return;
    }
    update.abandon();
    attempt.current = { base: theirs, mine: plan.resolved, merged: true };
    update.submit({ id: theirs.id, expectedVersion: plan.expectedVersion, patch: plan.patch }, `Save merged changes to “${theirs.name}”`);
  };

  const remote = remoteChangeSummary(events, base.id, base.version);
  const newestVersion = Math.max(remote?.version ?? 0, latest.version);
  const mergeFailure = merge && update.error && !versionConflictOf(update.error) ? update.error : null;
  // Who made "theirs": from the history, or from the live changes until the history has caught up.
  const theirNames = merge ? namesBetween(history.data, events, merge.view.base.version, merge.view.theirs.version) : [];

  return (
    <>
      <div className="page-head">
        <div>
          <p className="breadcrumb">
            <Link to="/projects">Projects</Link> / <Link to={`/projects/${base.id}`}>{base.name}</Link> /
          </p>
          <h1>Edit project</h1>
          <p className="muted" data-testid="base-version">
            Editing version {base.version}
          </p>
        </div>
      </div>
      {newestVersion > base.version && !merge && !update.isPending && (
        <RemoteChangeNotice
          actorNames={remote?.actorNames ?? []}
          at={remote?.at}
          version={newestVersion}
          baseVersion={base.version}
          // The refetched project is complete; the events may be ahead of it, never behind.
          changes={remote && remote.version > latest.version ? remote.changes : projectDiff(base, latest)}
          ownerNames={ownerNames}
          onLoadLatest={() => void reloadLatest()}
          loading={reloading}
        />
      )}
      {note && (
        <p className="notice notice-info" role="status">
          {note}
        </p>
      )}
      {merge && (
        <MergeDialog
          key={merge.view.theirs.version}
          view={merge.view}
          theirNames={theirNames}
          again={merge.again}
          saving={update.isPending}
          errors={mergeFailure ? [messageOf(mergeFailure), ...(isFinalFailure(mergeFailure) ? [] : [KEPT_FOR_RETRY])] : undefined}
          ownerNames={ownerNames}
          onSave={saveMerged}
          onDiscardMine={() => loadIntoForm(latest.version > merge.view.theirs.version ? latest : merge.view.theirs)}
          onBack={() => {
            setMerge(null);
            update.reset();
          }}
        />
      )}
      <ProjectForm
        values={form.values}
        errors={form.errors}
        onField={setField}
        onSubmit={submit}
        submitLabel="Save changes"
        submitting={update.isPending}
        cancelTo={`/projects/${base.id}`}
        owners={ownerOptions(users.data, user, { selected: { id: base.ownerId, name: base.ownerName } })}
        ownerHint={users.isError ? `Could not load the other users; the owner stays ${base.ownerName}.` : undefined}
      />
    </>
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
