import type { RouterOutputs } from "@trellis/api";
import { type UserRole, userRoles } from "@trellis/api/schemas";
import { formatDateTime } from "../../lib/dates";
import { Button } from "../../ui/Button";
import { type Column, DataTable } from "../../ui/DataTable";

type AdminUser = RouterOutputs["admin"]["users"]["list"]["items"][number];

export function UserTable({
  users,
  meId,
  busy,
  onSetRole,
  onDeactivate,
  onReactivate,
  onRevokeSessions,
}: {
  users: AdminUser[];
  meId: string;
  /** A change is on its way: the controls wait for it. */
  busy: boolean;
  onSetRole: (user: AdminUser, role: UserRole) => void;
  onDeactivate: (user: AdminUser) => void;
  onReactivate: (user: AdminUser) => void;
  onRevokeSessions: (user: AdminUser) => void;
}) {
  const columns: Array<Column<AdminUser>> = [
    {
      header: "Name",
      cell: (u) => (
        <>
          {u.name} {u.id === meId && <span className="badge badge-muted">you</span>}
        </>
      ),
    },
    { header: "Email", cell: (u) => u.email },
    {
      header: "Role",
      cell: (u) => (
        <select aria-label={`Role of ${u.email}`} value={u.role} disabled={busy} onChange={(e) => onSetRole(u, e.target.value as UserRole)}>
          {userRoles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      ),
    },
    { header: "Last seen", cell: (u) => formatDateTime(u.lastSeenAt) },
    {
      header: "Status",
      cell: (u) => (u.deactivatedAt ? <span className="badge badge-muted">deactivated</span> : <span className="badge">active</span>),
    },
    {
      header: "Actions",
      hideHeader: true,
      className: "actions",
      cell: (u) =>
        u.deactivatedAt ? (
          <Button small disabled={busy} onClick={() => onReactivate(u)}>
            Reactivate
          </Button>
        ) : (
          <>
            <Button small disabled={busy} onClick={() => onDeactivate(u)}>
              Deactivate
            </Button>
            <Button small disabled={busy} onClick={() => onRevokeSessions(u)}>
              Sign out everywhere
            </Button>
          </>
        ),
    },
  ];
  return <DataTable label="Users" columns={columns} rows={users} rowKey={(u) => u.id} rowProps={(u) => ({ "data-testid": `user-${u.email}` })} />;
}
