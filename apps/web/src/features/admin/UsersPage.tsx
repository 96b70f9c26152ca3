import type { RouterOutputs } from "@trellis/api";
import { type InviteUserInput, inviteUserInput, type UserRole, userRoles } from "@trellis/api/schemas";
import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
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
import { UserTable } from "./UserTable";

type Invited = RouterOutputs["admin"]["users"]["invite"];
const inviteFields = { fields: ["email", "name", "role"] as const };
type FieldName = (typeof inviteFields.fields)[number];
const noInvite: InviteUserInput = { email: "", name: "", role: "viewer" };

export function UsersPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useCurrentUser();
  const list = useInfiniteQuery(trpc.admin.users.list.infiniteQueryOptions({ limit: 100 }, { getNextPageParam: (page) => page.nextCursor ?? undefined }));
  const refresh = () => void queryClient.invalidateQueries(trpc.admin.users.list.pathFilter());

  const [values, setValues] = useState<InviteUserInput>(noInvite);
  const [errors, setErrors] = useState<Errors<FieldName>>({});
  const [invited, setInvited] = useState<Invited | null>(null);
  // One submission is one intent (kept in memory only: its answer is the temporary password,
  // shown once; see features/intents/intent-paths.ts). Inviting again after a dropped connection
  // sends the same key, so the server replays the invitation instead of refusing the email as taken.
  const invite = useIntent("admin.users.invite", {
    onSuccess: (result) => {
      setInvited(result);
      setValues(noInvite);
    },
    onError: (error, { final }) => setErrors(intentFormErrors(error, { final, path: "admin.users.invite", mapping: inviteFields })),
  });
  const set = <K extends keyof InviteUserInput>(field: K, value: InviteUserInput[K]) => {
    invite.abandon();
    setValues((v) => ({ ...v, [field]: value }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = inviteUserInput.safeParse(values);
    if (!parsed.success) {
      setErrors(toFormErrors(issuesToFieldErrors(parsed.error.issues), inviteFields));
      return;
    }
    setErrors({});
    setInvited(null);
    invite.submit(parsed.data, `Invite ${parsed.data.email}`);
  };

  // Each click is one intent; a refused one refreshes the list, so it shows what is true now.
  const setRole = useIntent("admin.users.setRole", { onError: refresh });
  const deactivate = useIntent("admin.users.deactivate", { onError: refresh });
  const reactivate = useIntent("admin.users.reactivate", { onError: refresh });
  const revokeSessions = useIntent("admin.users.revokeSessions", { onError: refresh });
  const actions = [setRole, deactivate, reactivate, revokeSessions];
  const failed = actions.find((action) => action.error)?.error;
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
              {(c) => <input {...c} type="email" value={values.email} onChange={(e) => set("email", e.target.value)} />}
            </Field>
            <Field id="invite-name" label="Name" errors={errors.name}>
              {(c) => <input {...c} value={values.name} onChange={(e) => set("name", e.target.value)} />}
            </Field>
            <Field id="invite-role" label="Role" errors={errors.role}>
              {(c) => (
                <select {...c} value={values.role} onChange={(e) => set("role", e.target.value as UserRole)}>
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
            <Button type="submit" primary disabled={invite.isPending}>
              {invite.isPending ? "Inviting…" : "Invite"}
            </Button>
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
        {failed && <ErrorNotice title="The change was refused" error={failed} />}
        {list.isPending && <p role="status">Loading…</p>}
        {list.isError && <ErrorNotice title="Could not load users" error={list.error} onRetry={() => void list.refetch()} />}
        {users.length > 0 && (
          <UserTable
            users={users}
            meId={me.id}
            // One change at a time: a second click while one is on its way would be dropped.
            busy={actions.some((action) => action.isPending)}
            onSetRole={(u, role) => setRole.submit({ id: u.id, role }, `Make ${u.email} ${role}`)}
            onDeactivate={(u) => {
              if (window.confirm(`Deactivate ${u.email}? Their sessions and API tokens stop working at once.`)) {
                deactivate.submit({ id: u.id }, `Deactivate ${u.email}`);
              }
            }}
            onReactivate={(u) => reactivate.submit({ id: u.id }, `Reactivate ${u.email}`)}
            onRevokeSessions={(u) => revokeSessions.submit({ id: u.id }, `Sign ${u.email} out everywhere`)}
          />
        )}
        {list.hasNextPage && (
          <Button className="load-more" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            Load more
          </Button>
        )}
      </section>
    </>
  );
}
