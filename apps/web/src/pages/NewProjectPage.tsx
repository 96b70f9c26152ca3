import { useMutation } from "@tanstack/react-query";
import { useNavigate } from "react-router";
import { NoWriteAccess } from "../components/NoWriteAccess";
import { ProjectForm } from "../components/ProjectForm";
import { useCurrentUser } from "../hooks/current-user";
import { useProjectForm } from "../hooks/use-project-form";
import { useProjectWritten } from "../hooks/use-project-written";
import { canWrite } from "../lib/labels";
import { emptyProjectForm, projectFormErrorsFrom, toCreateInput } from "../lib/project-form";
import { useTRPC } from "../trpc";

export function NewProjectPage() {
  const trpc = useTRPC();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const projectWritten = useProjectWritten();
  const form = useProjectForm(emptyProjectForm);

  const create = useMutation(
    trpc.project.create.mutationOptions({
      onSuccess: (project) => {
        projectWritten(project);
        navigate(`/projects/${project.id}`);
      },
      onError: (error) => form.setErrors(projectFormErrorsFrom(error)),
    }),
  );

  if (!canWrite(user.role)) return <NoWriteAccess backTo="/projects" />;

  const submit = () => {
    const result = toCreateInput(form.values);
    if (!result.ok) {
      form.setErrors(result.errors);
      return;
    }
    create.mutate(result.value);
  };

  return (
    <>
      <div className="page-head">
        <h1>New project</h1>
      </div>
      <ProjectForm
        values={form.values}
        errors={form.errors}
        onField={form.setField}
        onSubmit={submit}
        submitLabel="Create project"
        submitting={create.isPending}
        cancelTo="/projects"
        ownerHint="Leave blank to own it yourself."
      />
    </>
  );
}
