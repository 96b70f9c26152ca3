import { type Project, projectIdSchema } from "@trellis/api/schemas";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { ConflictNotice } from "../components/ConflictNotice";
import { ErrorNotice } from "../components/ErrorNotice";
import { NoWriteAccess } from "../components/NoWriteAccess";
import { ProjectForm } from "../components/ProjectForm";
import { useCurrentUser } from "../hooks/current-user";
import { useProjectForm } from "../hooks/use-project-form";
import { useProjectWritten } from "../hooks/use-project-written";
import { useIntent } from "../intents";
import { isNotFound, messageOf, versionConflictOf } from "../lib/errors";
import { canWrite } from "../lib/labels";
import { ownerOptions, USERS_STALE_MS } from "../lib/owner-options";
import { formValuesFromProject, intentFailureErrors, type ProjectFormField, toPatch } from "../lib/project-form";
import { savedState } from "../lib/saved-state";
import { useTRPC } from "../trpc";
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
  if (query.isPending) return <p className="page-status" role="status">Loading project…</p>;
  if (query.isError) {
    if (isNotFound(query.error)) return <NotFoundPage what="project" />;
    return <ErrorNotice title="Could not load the project" error={query.error} onRetry={() => void query.refetch()} />;
  }
  return <EditForm project={query.data} />;
}

/**
 * The form's base is the version it was loaded at and stays so while the user edits, even if
 * the cached project refreshes underneath: saving sends that version as expectedVersion, so a
 * concurrent change is reported as a conflict instead of being overwritten.
 */
function EditForm({ project }: { project: Project }) {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const projectWritten = useProjectWritten();
  const [base, setBase] = useState(project);
  const form = useProjectForm(() => formValuesFromProject(project));
  const [reloading, setReloading] = useState(false);
  const users = useQuery(trpc.user.list.queryOptions(undefined, { staleTime: USERS_STALE_MS }));

  // One save is one intent: saving the same changes again (after a timeout, a dropped
  // connection) reuses its key, so the server replays the first save instead of conflicting with it.
  const update = useIntent("project.update", {
    onSuccess: (saved, { replayed }) => {
      projectWritten(saved);
      navigate(`/projects/${saved.id}`, { state: savedState(replayed) });
    },
    onError: (error, { final }) => {
      if (!versionConflictOf(error)) form.setErrors(intentFailureErrors(error, { final, prefix: "patch" }));
    },
  });
  const conflict = versionConflictOf(update.error);

  const setField = (field: ProjectFormField, value: string) => {
    update.abandon();
    form.setField(field, value);
  };

  const submit = () => {
    const result = toPatch(form.values, base);
    if (!result.ok) {
      form.setErrors(result.errors);
      return;
    }
    update.submit({ id: base.id, expectedVersion: base.version, patch: result.value }, `Save changes to “${base.name}”`);
  };

  // Discards the stale base and the unsaved edits; merging them is a later feature.
  const reloadLatest = async () => {
    setReloading(true);
    try {
      const latest =
        conflict?.current ?? (await queryClient.fetchQuery({ ...trpc.project.byId.queryOptions({ id: base.id }), staleTime: 0 }));
      projectWritten(latest);
      update.abandon();
      setBase(latest);
      form.reset(formValuesFromProject(latest));
      update.reset();
    } catch (error) {
      form.setErrors({ form: [messageOf(error)] });
    } finally {
      setReloading(false);
    }
  };

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
      {conflict && (
        <ConflictNotice currentVersion={conflict.currentVersion} onReload={() => void reloadLatest()} reloading={reloading}>
          <p>Your changes were not saved. Reload the latest version into the form (your edits here are discarded), then apply them again.</p>
        </ConflictNotice>
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
