import { useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { useTRPC } from "../../app/trpc";
import { useCurrentUser } from "../auth/current-user";
import { useIntent } from "../intents/use-intent";
import { NoWriteAccess } from "./components/NoWriteAccess";
import { ProjectForm } from "./components/ProjectForm";
import { useProjectForm } from "./hooks/use-project-form";
import { canWrite } from "./lib/labels";
import { ownerOptions, USERS_STALE_MS } from "./lib/owner-options";
import { emptyProjectForm, intentFailureErrors, type ProjectFormField, toCreateInput } from "./lib/project-form";
import { savedState } from "./lib/saved-state";

export function NewProjectPage() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const form = useProjectForm(emptyProjectForm);
  const users = useQuery(trpc.user.list.queryOptions(undefined, { staleTime: USERS_STALE_MS }));

  // One submission is one intent: a double click or a resubmission of the same content reuses its key.
  const create = useIntent("project.create", {
    onSuccess: (project, { replayed }) => void navigate(`/projects/${project.id}`, { state: savedState(replayed) }),
    onError: (error, { final }) => form.setErrors(intentFailureErrors(error, { final })),
  });

  if (!canWrite(user.role)) return <NoWriteAccess backTo="/projects" />;

  // Other content is another intent: the unconfirmed one is dropped with its key.
  const setField = (field: ProjectFormField, value: string) => {
    create.abandon();
    form.setField(field, value);
  };

  const submit = () => {
    const result = toCreateInput(form.values);
    if (!result.ok) {
      form.setErrors(result.errors);
      return;
    }
    create.submit(result.value, `Create project “${result.value.name}”`);
  };

  return (
    <>
      <div className="page-head">
        <h1>New project</h1>
      </div>
      <ProjectForm
        values={form.values}
        errors={form.errors}
        onField={setField}
        onSubmit={submit}
        submitLabel="Create project"
        submitting={create.isPending}
        cancelTo="/projects"
        owners={ownerOptions(users.data, user, { blank: `Me (${user.name})`, includeMe: false })}
        ownerHint={users.isError ? "Could not load the other users; the project will be yours." : undefined}
      />
    </>
  );
}
