import type { RouterOutputs } from "@trellis/api";
import { type CreateTokenInput, createTokenInput } from "@trellis/api/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { FormErrors } from "../components/FormErrors";
import { SecretOnce } from "../components/SecretOnce";
import { useCurrentUser } from "../hooks/current-user";
import { formatDateTime, scopeLabels, tokenStatus } from "../lib/auth-labels";
import { errorDataOf, messageOf } from "../lib/errors";
import { type FormErrors as Errors, issuesToFieldErrors, toFormErrors } from "../lib/field-errors";
import { useTRPC } from "../trpc";

type Created = RouterOutputs["token"]["create"];
const tokenFields = { fields: ["name", "scope", "expiresInDays"] as const };
type FieldName = (typeof tokenFields.fields)[number];

export function TokensPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const user = useCurrentUser();
  const tokens = useQuery(trpc.token.list.queryOptions());
  const [values, setValues] = useState({ name: "", scope: "read" as CreateTokenInput["scope"], expiresInDays: "30" });
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  const [created, setCreated] = useState<Created | null>(null);
  const invalidate = () => queryClient.invalidateQueries(trpc.token.list.queryFilter());

  const create = useMutation(
    trpc.token.create.mutationOptions({
      onSuccess: (result) => {
        setCreated(result);
        setValues((v) => ({ ...v, name: "" }));
        void invalidate();
      },
      onError: (error) => {
        const data = errorDataOf(error);
        const mapped = toFormErrors(data?.fieldErrors, tokenFields, data?.formErrors);
        setErrors(Object.keys(mapped).length > 0 ? mapped : { form: [messageOf(error)] });
      },
    }),
  );
  const revoke = useMutation(trpc.token.revoke.mutationOptions({ onSettled: () => void invalidate() }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = createTokenInput.safeParse({ ...values, expiresInDays: Number(values.expiresInDays) });
    if (!parsed.success) {
      setErrors(toFormErrors(issuesToFieldErrors(parsed.error.issues), tokenFields));
      return;
    }
    setErrors({});
    setCreated(null);
    create.mutate(parsed.data);
  };

  const now = new Date();
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
              {(c) => <input {...c} value={values.name} maxLength={100} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} />}
            </Field>
            <Field id="token-scope" label="Access" errors={errors.scope}>
              {(c) => (
                <select {...c} value={values.scope} onChange={(e) => setValues((v) => ({ ...v, scope: e.target.value as CreateTokenInput["scope"] }))}>
                  <option value="read">{scopeLabels.read}</option>
                  <option value="read+write">{scopeLabels["read+write"]}</option>
                </select>
              )}
            </Field>
            <Field id="token-expiry" label="Expires in (days)" errors={errors.expiresInDays}>
              {(c) => (
                <input {...c} type="number" min={1} max={365} value={values.expiresInDays} onChange={(e) => setValues((v) => ({ ...v, expiresInDays: e.target.value }))} />
              )}
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={create.isPending}>
              {create.isPending ? "Creating…" : "Create token"}
            </button>
          </div>
        </form>
        {created?.token && (
          <SecretOnce label={`Your new token “${created.name}”`} secret={created.token}>
            <button type="button" className="button button-small" onClick={() => setCreated(null)}>
              I have copied it
            </button>
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
        {revoke.isError && <ErrorNotice title="Could not revoke the token" error={revoke.error} />}
        {tokens.isPending && <p role="status">Loading…</p>}
        {tokens.isError && <ErrorNotice title="Could not load your tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />}
        {tokens.data?.length === 0 && <p className="empty">No tokens yet.</p>}
        {tokens.data && tokens.data.length > 0 && (
          <TokenTable tokens={tokens.data} now={now} revoking={revoke.isPending ? revoke.variables?.id : undefined} onRevoke={(t) => {
            if (window.confirm(`Revoke “${t.name}”? Anything using it stops working at once.`)) revoke.mutate({ id: t.id });
          }} />
        )}
      </section>
    </>
  );
}

type TokenRow = RouterOutputs["token"]["list"][number];

function TokenTable({ tokens, now, revoking, onRevoke }: { tokens: TokenRow[]; now: Date; revoking: string | undefined; onRevoke: (t: TokenRow) => void }) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label="API tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Access</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => {
            const status = tokenStatus(t, now);
            return (
              <tr key={t.id} data-testid={`token-${t.name}`}>
                <td>{t.name}</td>
                <td className="mono">{t.prefix}…</td>
                <td>{scopeLabels[t.scope]}</td>
                <td>{formatDateTime(t.createdAt)}</td>
                <td>{formatDateTime(t.expiresAt)}</td>
                <td>{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"}</td>
                <td>
                  <span className={status === "active" ? "badge" : "badge badge-muted"}>{status}</span>
                </td>
                <td>
                  {status === "active" && (
                    <button type="button" className="button button-small" disabled={revoking === t.id} onClick={() => onRevoke(t)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
