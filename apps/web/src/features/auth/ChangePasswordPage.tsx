import { changePasswordInput } from "@trellis/api/schemas";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { Link } from "react-router";
import { type FormErrors as Errors, issuesToFieldErrors, toFormErrors } from "../../lib/field-errors";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormErrors } from "../../ui/FormErrors";
import { intentFormErrors } from "../intents/intent-errors";
import { useIntent } from "../intents/use-intent";

const fields = { fields: ["currentPassword", "newPassword", "confirm"] as const };
type FieldName = (typeof fields.fields)[number];
const empty = { currentPassword: "", newPassword: "", confirm: "" };

export function ChangePasswordPage() {
  const [values, setValues] = useState(empty);
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  // One submission is one intent, kept in memory only: its input is passwords, which are never
  // written to storage (see features/intents/intent-paths.ts). Submitting again after a dropped
  // connection sends the same key, so the change is not made twice.
  const change = useIntent("auth.changePassword", {
    onSuccess: () => setValues(empty),
    onError: (error, { final }) => setErrors(intentFormErrors(error, { final, path: "auth.changePassword", mapping: fields })),
  });

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
    change.submit(parsed.data, "Change your password");
  };
  const set = (field: FieldName) => (e: ChangeEvent<HTMLInputElement>) => {
    change.abandon();
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
    change.reset();
  };

  const changed = change.result;
  return (
    <>
      <div className="page-head">
        <h1>Change password</h1>
      </div>
      <section className="panel">
        <form className="form" onSubmit={submit} noValidate>
          <FormErrors messages={errors.form} />
          {changed && (
            <div className="notice notice-info" role="status">
              <p>
                Password changed.{" "}
                {changed.sessionsRevoked > 0
                  ? `${changed.sessionsRevoked} other session${changed.sessionsRevoked === 1 ? " was" : "s were"} signed out.`
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
            <Button type="submit" primary disabled={change.isPending}>
              {change.isPending ? "Changing…" : "Change password"}
            </Button>
          </div>
          <p className="muted small">Your other browsers are signed out at once; this one stays signed in.</p>
        </form>
      </section>
    </>
  );
}
