import { useCallback, useState } from "react";
import type { ProjectFormErrors, ProjectFormField, ProjectFormValues } from "../lib/project-form";

/** Form values plus errors; editing a field clears that field's errors. */
export function useProjectForm(initial: ProjectFormValues | (() => ProjectFormValues)) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<ProjectFormErrors>({});
  const setField = useCallback((field: ProjectFormField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => (e[field] || e.form ? { ...e, [field]: undefined, form: undefined } : e));
  }, []);
  const reset = useCallback((next: ProjectFormValues) => {
    setValues(next);
    setErrors({});
  }, []);
  return { values, errors, setErrors, setField, reset };
}
