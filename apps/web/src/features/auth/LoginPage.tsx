import { type LoginInput, loginInput } from "@trellis/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useTRPC } from "../../app/trpc";
import { errorDataOf, messageOf } from "../../lib/errors";
import { type FormErrors as Errors, issuesToFieldErrors, toFormErrors } from "../../lib/field-errors";
import { Button } from "../../ui/Button";
import { Field } from "../../ui/Field";
import { FormErrors } from "../../ui/FormErrors";
import { safeNext } from "./redirect";

const loginFields = { fields: ["email", "password"] as const };

export function LoginPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [values, setValues] = useState<LoginInput>({ email: "", password: "" });
  const [errors, setErrors] = useState<Errors<keyof LoginInput>>({});

  // Signing in is not a user intent (see features/intents/intent-paths.ts): there is no user yet
  // to keep it for, its input is a password, and a repeated sign-in only starts another session.
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: ({ user }) => {
        // Nothing cached for a previous session may leak into this one.
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        void navigate(safeNext(params.get("next")), { replace: true });
      },
      onError: (error) => {
        const data = errorDataOf(error);
        const mapped = toFormErrors(data?.fieldErrors, loginFields, data?.formErrors);
        // Bad credentials get the server's one generic message: it never says which part was wrong.
        setErrors(Object.keys(mapped).length > 0 ? mapped : { form: [messageOf(error)] });
      },
    }),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = loginInput.safeParse(values);
    if (!parsed.success) {
      setErrors(toFormErrors(issuesToFieldErrors(parsed.error.issues), loginFields));
      return;
    }
    setErrors({});
    login.mutate(parsed.data);
  };

  const set = (field: keyof LoginInput) => (e: ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  return (
    <main className="login">
      <div className="login-card">
        <h1>Sign in to Trellis</h1>
        <form className="form" onSubmit={submit} noValidate>
          <FormErrors messages={errors.form} />
          <Field id="login-email" label="Email" errors={errors.email}>
            {(c) => <input {...c} type="email" autoComplete="username" value={values.email} onChange={set("email")} autoFocus />}
          </Field>
          <Field id="login-password" label="Password" errors={errors.password}>
            {(c) => (
              <input {...c} type="password" autoComplete="current-password" value={values.password} onChange={set("password")} />
            )}
          </Field>
          <Button type="submit" primary disabled={login.isPending}>
            {login.isPending ? "Signing in…" : "Sign in"}
          </Button>
        </form>
      </div>
    </main>
  );
}
