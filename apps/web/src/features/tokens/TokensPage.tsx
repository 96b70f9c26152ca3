import type { RouterOutputs } from "@trellis/api";
import { type CreateTokenInput, createTokenInput } from "@trellis/api/schemas";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "../../app/trpc";
import { type FormErrors as Errors, issuesToFieldErrors, toFormErrors } from "../../lib/field-errors";
import { Button } from "../../ui/Button";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { Field } from "../../ui/Field";
import { FormErrors } from "../../ui/FormErrors";
import { SecretOnce } from "../../ui/SecretOnce";
import { useCurrentUser } from "../auth/current-user";
import { intentFormErrors } from "../intents/intent-errors";
import { useIntent } from "../intents/use-intent";
import { scopeLabels } from "./token-labels";
import { TokenTable } from "./TokenTable";

type Created = RouterOutputs["token"]["create"];
const tokenFields = { fields: ["name", "scope", "expiresInDays"] as const };
type FieldName = (typeof tokenFields.fields)[number];
type Values = { name: string; scope: CreateTokenInput["scope"]; expiresInDays: string };

export function TokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const user = useCurrentUser();
  const tokens = useQuery(trpc.token.list.queryOptions());
  const [values, setValues] = useState<Values>({ name: "", scope: "read", expiresInDays: "30" });
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  const [created, setCreated] = useState<Created | null>(null);
  const invalidate = () => queryClient.invalidateQueries(trpc.token.list.queryFilter());

  // One submission is one intent (kept in memory only: its answer is the secret, shown once; see
  // features/intents/intent-paths.ts). Submitting again after a dropped connection sends the same
  // key: the server replays the creation, without the secret, instead of making a second token.
  const create = useIntent("token.create", {
    onSuccess: (result) => {
      setCreated(result);
      setValues((v) => ({ ...v, name: "" }));
    },
    onError: (error, { final }) => setErrors(intentFormErrors(error, { final, path: "token.create", mapping: tokenFields })),
  });
  const revoke = useIntent("token.revoke", { onError: () => void invalidate() });

  const set = <K extends keyof Values>(field: K, value: Values[K]) => {
    create.abandon();
    setValues((v) => ({ ...v, [field]: value }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = createTokenInput.safeParse({ ...values, expiresInDays: Number(values.expiresInDays) });
    if (!parsed.success) {
      setErrors(toFormErrors(issuesToFieldErrors(parsed.error.issues), tokenFields));
      return;
    }
    setErrors({});
    setCreated(null);
    create.submit(parsed.data, `Create API token “${parsed.data.name}”`);
  };

  return (
    <>
      <div className="page-head">
        <h1>API tokens</h1>
      </div>
      <p className="muted">
        For scripts and other apps: send <code>Authorization: Bearer &lt;token&gt;</code> to <code>/api/v1</code> or <code>/trpc</code>. A token acts as you
        ({user.role}) and never more; a read-only token cannot change anything. Its requests count against your own request budget, and you can
        hold a limited number of active tokens at once (20 unless your administrator set another limit): revoke the ones you no longer use.
      </p>

      <section className="panel" aria-labelledby="new-token">
        <h2 id="new-token">New token</h2>
        <form className="form" onSubmit={submit} noValidate>
          <FormErrors messages={errors.form} />
          <div className="form-row">
            <Field id="token-name" label="Name" hint="What will use it, e.g. “nightly report”" errors={errors.name}>
              {(c) => <input {...c} value={values.name} maxLength={100} onChange={(e) => set("name", e.target.value)} />}
            </Field>
            <Field id="token-scope" label="Access" errors={errors.scope}>
              {(c) => (
                <select {...c} value={values.scope} onChange={(e) => set("scope", e.target.value as CreateTokenInput["scope"])}>
                  <option value="read">{scopeLabels.read}</option>
                  <option value="read+write">{scopeLabels["read+write"]}</option>
                </select>
              )}
            </Field>
            <Field id="token-expiry" label="Expires in (days)" errors={errors.expiresInDays}>
              {(c) => <input {...c} type="number" min={1} max={365} value={values.expiresInDays} onChange={(e) => set("expiresInDays", e.target.value)} />}
            </Field>
          </div>
          <div className="form-actions">
            <Button type="submit" primary disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create token"}
            </Button>
          </div>
        </form>
        {created?.token && (
          <SecretOnce label={`Your new token “${created.name}”`} secret={created.token}>
            <Button small onClick={() => setCreated(null)}>
              I have copied it
            </Button>
          </SecretOnce>
        )}
        {created && !created.token && (
          <div className="notice notice-info" role="status">
            <p>This token was already created by an earlier attempt, and its secret was shown then. If you did not copy it, revoke it and create another.</p>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="your-tokens">
        <h2 id="your-tokens">Your tokens</h2>
        {revoke.error && <ErrorNotice title="Could not revoke the token" error={revoke.error} />}
        {tokens.isPending && <p role="status">Loading…</p>}
        {tokens.isError && <ErrorNotice title="Could not load your tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />}
        {tokens.data?.length === 0 && <p className="empty">No tokens yet.</p>}
        {tokens.data && tokens.data.length > 0 && (
          <TokenTable
            tokens={tokens.data}
            now={new Date()}
            // One revoke at a time: a second click elsewhere while one is on its way would be dropped.
            revoking={revoke.isPending}
            onRevoke={(t) => {
              if (window.confirm(`Revoke “${t.name}”? Anything using it stops working at once.`)) revoke.submit({ id: t.id }, `Revoke API token “${t.name}”`);
            }}
          />
        )}
      </section>
    </>
  );
}
