import { errorDataOf, messageOf } from "./errors";

/** Messages per form field; "form" holds those that belong to no single field. */
export type FormErrors<F extends string> = Partial<Record<F | "form", string[]>>;

export interface FieldMapping<F extends string> {
  /** Form fields; an API field with the same name maps to it. */
  fields: readonly F[];
  /** API field -> form field where the names differ (e.g. budgetCents -> budget). */
  rename?: Partial<Record<string, F>>;
  /** Leading path segment the API nests inputs under (e.g. "patch" for project.update). */
  prefix?: string;
  /** Label for list items, e.g. { tags: "Tag" } turns `tags.3` into "Tag 4: …". */
  itemLabel?: Partial<Record<F, string>>;
}

/** Zod issues -> dotted paths, the same shape the server's errorFormatter sends. */
export function issuesToFieldErrors(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>) {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".");
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Puts each dotted-path message under the form field it belongs to, so it shows in place. */
export function toFormErrors<F extends string>(
  fieldErrors: Record<string, string[]> | undefined,
  mapping: FieldMapping<F>,
  formErrors: readonly string[] = [],
): FormErrors<F> {
  const out: FormErrors<F> = {};
  const add = (key: F | "form", messages: string[]) => (out[key] ??= []).push(...messages);
  if (formErrors.length > 0) add("form", [...formErrors]);
  for (const [path, messages] of Object.entries(fieldErrors ?? {})) {
    let segments = path === "" ? [] : path.split(".");
    if (mapping.prefix && segments[0] === mapping.prefix) segments = segments.slice(1);
    const [head, index] = segments;
    const field = head === undefined ? undefined : (mapping.rename?.[head] ?? mapping.fields.find((f) => f === head));
    if (!field) {
      add("form", messages);
      continue;
    }
    const label = mapping.itemLabel?.[field];
    const position = index !== undefined && /^\d+$/.test(index) ? Number(index) + 1 : undefined;
    add(field, label && position !== undefined ? messages.map((m) => `${label} ${position}: ${m}`) : messages);
  }
  return out;
}

export function hasErrors(errors: FormErrors<string>): boolean {
  return Object.values(errors).some((messages) => messages && messages.length > 0);
}

/** A rejected request as form errors: the server's field errors in place, anything else as one form-level message. */
export function formErrorsFrom<F extends string>(error: unknown, mapping: FieldMapping<F>): FormErrors<F> {
  const data = errorDataOf(error);
  const errors = toFormErrors(data?.fieldErrors, mapping, data?.formErrors);
  return hasErrors(errors) ? errors : ({ form: [messageOf(error)] } as FormErrors<F>);
}
