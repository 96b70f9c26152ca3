import { changePasswordInput } from "@trellis/api/schemas";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { Field } from "../components/Field";
import { FormErrors } from "../components/FormErrors";
import { errorDataOf, messageOf } from "../lib/errors";
import { type FormErrors as Errors, issuesToFieldErrors, toFormErrors } from "../lib/field-errors";
import { useTRPC } from "../trpc";

const fields = { fields: ["currentPassword", "newPassword", "confirm"] as const };
type FieldName = (typeof fields.fields)[number];
const empty = { currentPassword: "", newPassword: "", confirm: "" };

export function ChangePasswordPage() {
  const trpc = useTRPC();
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => setValues(empty),
      onError: (error) => {
        const data = errorDataOf(error);
        const mapped = toFormErrors(data?.fieldErrors, fields, data?.formErrors);
        setErrors(Object.keys(mapped).length > 0 ? mapped : { form: [messageOf(error)] });
      },
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = changePasswordInput.safeParse({ currentPassword: values.currentPassword, newPassword: values.newPassword });
    const problems: Errors<FieldName> = parsed.success ? {} : toFormErrors(issuesToFieldErrors(parsed.error.issues), fields);
    if (values.confirm !== values.newPassword) problems.confirm = ["The passwords do not match"];
    if (!parsed.success || problems.confirm) {
      setErrors(problems);
      return;
    }
    setErrors({});
    change.mutate(parsed.data);
  };
  const set = (field: FieldName) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
    change.reset();
  };

  return (
    <>
      <div className="page-head">
        <h1>Change password</h1>
      </div>
      <section className="panel">
        <form className="form" onSubmit={submit} noValidate>
          <FormErrors messages={errors.form} />
          {change.isSuccess && (
            <div className="notice notice-info" role="status">
              <p>
                Password changed.{" "}
                {change.data.sessionsRevoked > 0
                  ? `${change.data.sessionsRevoked} other session${change.data.sessionsRevoked === 1 ? " was" : "s were"} signed out.`
                  : "You had no other sessions."}{" "}
                API tokens keep working: revoke them under <Link to="/tokens">API tokens</Link> if they may have leaked.
              </p>
            </div>
          )}
          <Field id="pw-current" label="Current password" errors={errors.currentPassword}>
            {(c) => <input {...c} type="password" autoComplete="current-password" value={values.currentPassword} onChange={set("currentPassword")} />}
          </Field>
          <Field id="pw-new" label="New password" hint="At least 12 characters" errors={errors.newPassword}>
            {(c) => <input {...c} type="password" autoComplete="new-password" value={values.newPassword} onChange={set("newPassword")} />}
          </Field>
          <Field id="pw-confirm" label="Repeat the new password" errors={errors.confirm}>
            {(c) => <input {...c} type="password" autoComplete="new-password" value={values.confirm} onChange={set("confirm")} />}
          </Field>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={change.isPending}>
              {change.isPending ? "Changing…" : "Change password"}
            </button>
          </div>
          <p className="muted small">Your other browsers are signed out at once; this one stays signed in.</p>
        </form>
      </section>
    </>
  );
}
