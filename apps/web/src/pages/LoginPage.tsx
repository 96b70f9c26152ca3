import { type LoginInput, loginInput } from "@trellis/api/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, type FormEvent, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { Field } from "../components/Field";
import { FormErrors } from "../components/FormErrors";
import { errorDataOf, messageOf } from "../lib/errors";
import { type FormErrors as Errors, issuesToFieldErrors, toFormErrors } from "../lib/field-errors";
import { safeNext } from "../lib/redirect";
import { useTRPC } from "../trpc";

const loginFields = { fields: ["email", "password"] as const };

export function LoginPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [values, setValues] = useState<LoginInput>({ email: "", password: "" });
  const [errors, setErrors] = useState<Errors<keyof LoginInput>>({});

  const login = useMutation(
    trpc.auth.login.mutationOptions({
      onSuccess: ({ user }) => {
        // Nothing cached for a previous session may leak into this one.
        queryClient.clear();
        queryClient.setQueryData(trpc.auth.me.queryKey(), user);
        navigate(safeNext(params.get("next")), { replace: true });
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
          <button type="submit" className="button button-primary" disabled={login.isPending}>
            {login.isPending ? "Signing in…" : "Sign in"}
          </button>
        </form>
      </div>
    </main>
  );
}
