import { type Project, projectIdSchema } from "@trellis/api/schemas";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router";
import { useTRPC } from "../../../app/trpc";
import { isNotFound, messageOf } from "../../../lib/errors";
import { ErrorNotice } from "../../../ui/ErrorNotice";
import { NotFoundPage } from "../../../ui/NotFoundPage";
import { useCurrentUser } from "../../auth/current-user";
import { useProjectChangeEvents } from "../../live/live";
import { NoWriteAccess } from "../components/NoWriteAccess";
import { ProjectForm } from "../components/ProjectForm";
import { useOwnerNames } from "../hooks/use-owner-names";
import { useProjectForm } from "../hooks/use-project-form";
import { useProjectWritten } from "../hooks/use-project-written";
import { canWrite } from "../lib/labels";
import type { MergeChoices } from "../lib/merge-view";
import { ownerOptions, USERS_STALE_MS } from "../lib/owner-options";
import { formValuesFromProject, type ProjectFormField, toPatch } from "../lib/project-form";
import { MergeStep } from "./MergeStep";
import { RemoteChangeNotice } from "./RemoteChangeNotice";
import { useProjectSave } from "./use-project-save";

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

/**
 * The form's base is the version it was loaded at and stays so while the user edits, even as live
 * updates refresh the cached project (`latest`) underneath: a change elsewhere is announced
 * (RemoteChangeNotice), never applied to the form. Saving (useProjectSave) sends the base version
 * as expectedVersion; if the project moved on, the save is refused and the merge dialog
 * (MergeStep) puts base, mine and theirs side by side.
 */
function EditForm({ latest }: { latest: Project }) {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const [base, setBase] = useState(latest);
  const form = useProjectForm(() => formValuesFromProject(latest));
  const [note, setNote] = useState<string | null>(null);
  const users = useQuery(trpc.user.list.queryOptions(undefined, { staleTime: USERS_STALE_MS }));
  const ownerNames = useOwnerNames([base, latest].map((p) => ({ id: p.ownerId, name: p.ownerName })));
  const events = useProjectChangeEvents(base.id);
  const save = useProjectSave({ onFormErrors: form.setErrors });

  /** Starts over from `project`: the user's edits and any merge in progress are dropped. */
  const loadIntoForm = (project: Project) => {
    save.forget();
    setBase(project);
    form.reset(formValuesFromProject(project));
  };
  const latestLoader = useLoadLatest(base.id, loadIntoForm, (error) => form.setErrors({ form: [messageOf(error)] }));

  const setField = (field: ProjectFormField, value: string) => {
    save.abandon();
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
    save.save(base, result.value);
  };

  const saveMerged = (choices: MergeChoices) => {
    const theirs = save.merge?.view.theirs;
    if (save.saveMerged(choices) !== "unchanged" || !theirs) return;
    loadIntoForm(theirs);
    setNote(`Nothing to save: version ${theirs.version} already has these values.`);
  };

  const { merge } = save;
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
      {!merge && !save.saving && (
        <RemoteChangeNotice
          base={base}
          latest={latest}
          events={events}
          ownerNames={ownerNames}
          onLoadLatest={() => void latestLoader.load()}
          loading={latestLoader.loading}
        />
      )}
      {note && (
        <p className="notice notice-info" role="status">
          {note}
        </p>
      )}
      {merge && (
        <MergeStep
          merge={merge}
          events={events}
          saving={save.saving}
          failure={save.mergeFailure}
          ownerNames={ownerNames}
          onSave={saveMerged}
          onDiscardMine={() => loadIntoForm(latest.version > merge.view.theirs.version ? latest : merge.view.theirs)}
          onBack={save.closeMerge}
        />
      )}
      <ProjectForm
        values={form.values}
        errors={form.errors}
        onField={setField}
        onSubmit={submit}
        submitLabel="Save changes"
        submitting={save.saving}
        cancelTo={`/projects/${base.id}`}
        owners={ownerOptions(users.data, user, { selected: { id: base.ownerId, name: base.ownerName } })}
        ownerHint={users.isError ? `Could not load the other users; the owner stays ${base.ownerName}.` : undefined}
      />
    </>
  );
}

/** Fetches the project afresh (not from the cache) and hands it over; failures go to `onError`. */
function useLoadLatest(id: string, onLoaded: (project: Project) => void, onError: (error: unknown) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const projectWritten = useProjectWritten();
  const [loading, setLoading] = useState(false);
  const load = async () => {
    setLoading(true);
    try {
      const fresh = await queryClient.fetchQuery({ ...trpc.project.byId.queryOptions({ id }), staleTime: 0 });
      projectWritten(fresh);
      onLoaded(fresh);
    } catch (error) {
      onError(error);
    } finally {
      setLoading(false);
    }
  };
  return { load, loading };
}
