import type { RouterOutputs } from "@trellis/api";
import { type InviteUserInput, inviteUserInput, type UserRole, userRoles } from "@trellis/api/schemas";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { ErrorNotice } from "../components/ErrorNotice";
import { Field } from "../components/Field";
import { FormErrors } from "../components/FormErrors";
import { SecretOnce } from "../components/SecretOnce";
import { useCurrentUser } from "../hooks/current-user";
import { formatDateTime } from "../lib/auth-labels";
import { errorDataOf, messageOf } from "../lib/errors";
import { type FormErrors as Errors, issuesToFieldErrors, toFormErrors } from "../lib/field-errors";
import { useTRPC } from "../trpc";

type AdminUser = RouterOutputs["admin"]["users"]["list"]["items"][number];
type Invited = RouterOutputs["admin"]["users"]["invite"];
const inviteFields = { fields: ["email", "name", "role"] as const };
type FieldName = (typeof inviteFields.fields)[number];

export function UsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const list = useInfiniteQuery(trpc.admin.users.list.infiniteQueryOptions({ limit: 100 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const refresh = () => queryClient.invalidateQueries(trpc.admin.users.list.pathFilter());

  const [values, setValues] = useState<InviteUserInput>({ email: "", name: "", role: "viewer" });
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  const [invited, setInvited] = useState<Invited | null>(null);
  const invite = useMutation(
    trpc.admin.users.invite.mutationOptions({
      onSuccess: (result) => {
        setInvited(result);
        setValues({ email: "", name: "", role: "viewer" });
        void refresh();
      },
      onError: (error) => {
        const data = errorDataOf(error);
        const mapped = toFormErrors(data?.fieldErrors, inviteFields, data?.formErrors);
        setErrors(Object.keys(mapped).length > 0 ? mapped : { form: [messageOf(error)] });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = inviteUserInput.safeParse(values);
    if (!parsed.success) {
      setErrors(toFormErrors(issuesToFieldErrors(parsed.error.issues), inviteFields));
      return;
    }
    setErrors({});
    setInvited(null);
    invite.mutate(parsed.data);
  };

  const onSettled = () => void refresh();
  const setRole = useMutation(trpc.admin.users.setRole.mutationOptions({ onSettled }));
  const deactivate = useMutation(trpc.admin.users.deactivate.mutationOptions({ onSettled }));
  const reactivate = useMutation(trpc.admin.users.reactivate.mutationOptions({ onSettled }));
  const revokeSessions = useMutation(trpc.admin.users.revokeSessions.mutationOptions({ onSettled }));
  const failed = [setRole, deactivate, reactivate, revokeSessions].find((m) => m.isError);
  const users = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <div className="page-head">
        <h1>Users</h1>
      </div>
      <section className="panel" aria-labelledby="invite">
        <h2 id="invite">Invite a user</h2>
        <form className="form" onSubmit={submit} noValidate>
          <FormErrors messages={errors.form} />
          <div className="form-row">
            <Field id="invite-email" label="Email" errors={errors.email}>
              {(c) => <input {...c} type="email" value={values.email} onChange={(e) => setValues((v) => ({ ...v, email: e.target.value }))} />}
            </Field>
            <Field id="invite-name" label="Name" errors={errors.name}>
              {(c) => <input {...c} value={values.name} onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))} />}
            </Field>
            <Field id="invite-role" label="Role" errors={errors.role}>
              {(c) => (
                <select {...c} value={values.role} onChange={(e) => setValues((v) => ({ ...v, role: e.target.value as UserRole }))}>
                  {userRoles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={invite.isPending}>
              {invite.isPending ? "Inviting…" : "Invite"}
            </button>
          </div>
        </form>
        {invited?.temporaryPassword && (
          <SecretOnce label={`Temporary password for ${invited.user.email}`} secret={invited.temporaryPassword}>
            <p className="small">Pass it on privately; ask them to change it under “Password” after signing in.</p>
          </SecretOnce>
        )}
        {invited && !invited.temporaryPassword && (
          <div className="notice notice-info" role="status">
            <p>{invited.user.email} was already invited by an earlier attempt; its temporary password was shown then.</p>
          </div>
        )}
      </section>

      <section className="panel" aria-labelledby="all-users">
        <h2 id="all-users">All users</h2>
        {failed && <ErrorNotice title="The change was refused" error={failed.error} />}
        {list.isPending && <p role="status">Loading…</p>}
        {list.isError && <ErrorNotice title="Could not load users" error={list.error} onRetry={() => void list.refetch()} />}
        {users.length > 0 && (
          <div className="table-wrap">
            <table className="table" aria-label="Users">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Last seen</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {users.map((u: AdminUser) => (
                  <tr key={u.id} data-testid={`user-${u.email}`}>
                    <td>
                      {u.name} {u.id === me.id && <span className="badge badge-muted">you</span>}
                    </td>
                    <td>{u.email}</td>
                    <td>
                      <select
                        aria-label={`Role of ${u.email}`}
                        value={u.role}
                        disabled={setRole.isPending}
                        onChange={(e) => setRole.mutate({ id: u.id, role: e.target.value as UserRole })}
                      >
                        {userRoles.map((r) => (
                          <option key={r} value={r}>
                            {r}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>{formatDateTime(u.lastSeenAt)}</td>
                    <td>{u.deactivatedAt ? <span className="badge badge-muted">deactivated</span> : <span className="badge">active</span>}</td>
                    <td className="actions">
                      {u.deactivatedAt ? (
                        <button type="button" className="button button-small" onClick={() => reactivate.mutate({ id: u.id })}>
                          Reactivate
                        </button>
                      ) : (
                        <>
                          <button
                            type="button"
                            className="button button-small"
                            onClick={() => {
                              if (window.confirm(`Deactivate ${u.email}? Their sessions and API tokens stop working at once.`)) deactivate.mutate({ id: u.id });
                            }}
                          >
                            Deactivate
                          </button>
                          <button type="button" className="button button-small" onClick={() => revokeSessions.mutate({ id: u.id })}>
                            Sign out everywhere
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {list.hasNextPage && (
          <button type="button" className="button load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            Load more
          </button>
        )}
      </section>
    </>
  );
}
