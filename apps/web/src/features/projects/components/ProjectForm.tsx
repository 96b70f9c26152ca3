import { projectStatuses } from "@trellis/api/schemas";
import type { FormEvent, ReactNode } from "react";
import { statusLabels } from "../lib/labels";
import type { OwnerOption } from "../lib/owner-options";
import type { ProjectFormErrors, ProjectFormField, ProjectFormValues } from "../lib/project-form";
import { Field } from "../../../ui/Field";
import { FormErrors } from "../../../ui/FormErrors";
import { Button, ButtonLink } from "../../../ui/Button";

/** The fields shared by the create and edit pages; validation and submit live in the pages. */
export function ProjectForm({
  values,
  errors,
  onField,
  onSubmit,
  submitLabel,
  submitting,
  cancelTo,
  owners,
  ownerHint,
}: {
  values: ProjectFormValues;
  errors: ProjectFormErrors;
  onField: (field: ProjectFormField, value: string) => void;
  onSubmit: () => void;
  submitLabel: string;
  submitting: boolean;
  cancelTo: string;
  /** From user.list via ownerOptions; the current value is always among them. */
  owners: OwnerOption[];
  ownerHint?: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-busy={submitting}>
      <FormErrors messages={errors.form} />
      {/* Read-only while saving: the content being saved is the intent its key stands for. */}
      <fieldset disabled={submitting}>
        <Field id="project-name" label="Name" errors={errors.name}>
          {(c) => <input {...c} type="text" value={values.name} onChange={(e) => onField("name", e.target.value)} required />}
        </Field>
        <Field id="project-description" label="Description" errors={errors.description}>
          {(c) => (
            <textarea {...c} rows={4} value={values.description} onChange={(e) => onField("description", e.target.value)} />
          )}
        </Field>
        <div className="form-row">
          <Field id="project-status" label="Status" errors={errors.status}>
            {(c) => (
              <select {...c} value={values.status} onChange={(e) => onField("status", e.target.value)}>
                {projectStatuses.map((status) => (
                  <option key={status} value={status}>
                    {statusLabels[status]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field id="project-due-date" label="Due date" errors={errors.dueDate}>
            {(c) => <input {...c} type="date" value={values.dueDate} onChange={(e) => onField("dueDate", e.target.value)} />}
          </Field>
          <Field id="project-budget" label="Budget (USD)" hint="In dollars, e.g. 1250.50" errors={errors.budget}>
            {(c) => (
              <input
                {...c}
                type="text"
                inputMode="decimal"
                value={values.budget}
                onChange={(e) => onField("budget", e.target.value)}
              />
            )}
          </Field>
        </div>
        <Field id="project-tags" label="Tags" hint="Comma-separated, e.g. backend, q3" errors={errors.tags}>
          {(c) => <input {...c} type="text" value={values.tags} onChange={(e) => onField("tags", e.target.value)} />}
        </Field>
        <Field id="project-owner" label="Owner" hint={ownerHint} errors={errors.ownerId}>
          {(c) => (
            <select {...c} value={values.ownerId} onChange={(e) => onField("ownerId", e.target.value)}>
              {owners.map((owner) => (
                <option key={owner.value} value={owner.value}>
                  {owner.label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </fieldset>
      <div className="form-actions">
        <Button type="submit" primary disabled={submitting}>
          {submitting ? "Saving…" : submitLabel}
        </Button>
        <ButtonLink to={cancelTo}>Cancel</ButtonLink>
      </div>
    </form>
  );
}
