import { createProjectInput, type Project, type ProjectPatch, projectPatchSchema } from "@trellis/api/schemas";
import type { z } from "zod";
import { messageOf } from "../../../lib/errors";
import { type FieldMapping, type FormErrors, formErrorsFrom, hasErrors, issuesToFieldErrors, toFormErrors } from "../../../lib/field-errors";
import { KEPT_FOR_RETRY } from "../../intents/intent-paths";
import { sameValue } from "./changes";
import { centsToInput, parseAmount } from "./money";

/** What the form edits: plain strings, as inputs hold them. */
export const projectFormFields = ["name", "description", "status", "ownerId", "tags", "budget", "dueDate"] as const;
export type ProjectFormField = (typeof projectFormFields)[number];
export type ProjectFormValues = Record<ProjectFormField, string>;
export type ProjectFormErrors = FormErrors<ProjectFormField>;

export const projectFieldMapping: FieldMapping<ProjectFormField> = {
  fields: projectFormFields,
  rename: { budgetCents: "budget" },
  itemLabel: { tags: "Tag" },
};

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: ProjectFormErrors };
export type CreateProjectValues = z.output<typeof createProjectInput>;

export const emptyProjectForm: ProjectFormValues = {
  name: "",
  description: "",
  status: "planning",
  ownerId: "",
  tags: "",
  budget: "",
  dueDate: "",
};

export function formValuesFromProject(project: Project): ProjectFormValues {
  return {
    name: project.name,
    description: project.description,
    status: project.status,
    ownerId: project.ownerId,
    tags: project.tags.join(", "),
    budget: centsToInput(project.budgetCents),
    dueDate: project.dueDate ?? "",
  };
}

/** "a, b,,a " -> ["a", "b"]: blanks dropped and duplicates removed, as the server would. */
export function parseTags(text: string): string[] {
  const tags = text.split(",").map((t) => t.trim()).filter((t) => t !== "");
  return [...new Set(tags)];
}

/** Strings -> API field shapes. Budget text that is not an amount is reported here, since the schema only sees cents. */
function fieldsFromValues(values: ProjectFormValues): { fields: Record<string, unknown>; errors: ProjectFormErrors } {
  const budget = parseAmount(values.budget);
  const ownerId = values.ownerId.trim();
  const fields: Record<string, unknown> = {
    name: values.name,
    description: values.description,
    status: values.status,
    ...(ownerId && { ownerId }),
    tags: parseTags(values.tags),
    ...(budget.ok && { budgetCents: budget.cents }),
    dueDate: values.dueDate === "" ? null : values.dueDate,
  };
  return { fields, errors: budget.ok ? {} : { budget: [budget.message] } };
}

function validate<T>(
  schema: { safeParse(input: unknown): z.ZodSafeParseResult<T> },
  values: ProjectFormValues,
): FormResult<T> {
  const { fields, errors } = fieldsFromValues(values);
  const parsed = schema.safeParse(fields);
  if (parsed.success && !hasErrors(errors)) return { ok: true, value: parsed.data };
  const schemaErrors = parsed.success ? {} : toFormErrors(issuesToFieldErrors(parsed.error.issues), projectFieldMapping);
  return { ok: false, errors: { ...schemaErrors, ...errors } };
}

/** Validates with the server's own create schema, so the client never accepts what the server rejects. */
export function toCreateInput(values: ProjectFormValues): FormResult<CreateProjectValues> {
  return validate(createProjectInput, values);
}

/**
 * Only the fields that differ from `base` (the version the form was loaded at), validated with
 * the server's patch schema. Sending unchanged fields would make the audit trail noisy.
 */
export function toPatch(values: ProjectFormValues, base: Project): FormResult<ProjectPatch> {
  const result = validate(projectPatchSchema, values);
  if (!result.ok) return result;
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(result.value)) {
    if (value !== undefined && !sameValue(value, base[field as keyof Project])) patch[field] = value;
  }
  if (Object.keys(patch).length === 0) return { ok: false, errors: { form: ["Nothing changed yet."] } };
  return { ok: true, value: patch as ProjectPatch };
}

/**
 * A failed create/update as form errors: the server's fieldErrors in place (under `prefix`,
 * e.g. "patch" for project.update), anything else as a form-level message.
 */
export function projectFormErrorsFrom(error: unknown, prefix?: string): ProjectFormErrors {
  return formErrorsFrom(error, { ...projectFieldMapping, prefix });
}

/**
 * Form errors for a failed intent: a final rejection as field/form errors; otherwise (network,
 * server error) what went wrong plus the note that nothing is lost.
 */
export function intentFailureErrors(error: unknown, { final, prefix }: { final: boolean; prefix?: string }): ProjectFormErrors {
  return final ? projectFormErrorsFrom(error, prefix) : { form: [messageOf(error), KEPT_FOR_RETRY] };
}
