import { messageOf } from "../../lib/errors";
import { type FieldMapping, type FormErrors, formErrorsFrom } from "../../lib/field-errors";
import { type IntentPath, keptNote } from "./intent-paths";

/**
 * Form errors for a failed intent of `path`: a final rejection as field and form errors; otherwise
 * (network, server error) what went wrong, and that sending again cannot do it twice.
 */
export function intentFormErrors<F extends string>(
  error: unknown,
  { final, path, mapping }: { final: boolean; path: IntentPath; mapping: FieldMapping<F> },
): FormErrors<F> {
  return final ? formErrorsFrom(error, mapping) : ({ form: [messageOf(error), keptNote(path)] } as FormErrors<F>);
}
