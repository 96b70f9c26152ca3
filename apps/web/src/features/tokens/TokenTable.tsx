import type { RouterOutputs } from "@trellis/api";
import { formatDateTime } from "../../lib/dates";
import { Button } from "../../ui/Button";
import { type Column, DataTable } from "../../ui/DataTable";
import { scopeLabels, tokenStatus } from "./token-labels";

type TokenRow = RouterOutputs["token"]["list"][number];

export function TokenTable({
  tokens,
  now,
  revoking,
  onRevoke,
}: {
  tokens: TokenRow[];
  now: Date;
  /** A revoke is on its way: the buttons wait for it. */
  revoking: boolean;
  onRevoke: (token: TokenRow) => void;
}) {
  const columns: Array<Column<TokenRow>> = [
    { header: "Name", cell: (t) => t.name },
    { header: "Token", className: "mono", cell: (t) => `${t.prefix}…` },
    { header: "Access", cell: (t) => scopeLabels[t.scope] },
    { header: "Created", cell: (t) => formatDateTime(t.createdAt) },
    { header: "Expires", cell: (t) => formatDateTime(t.expiresAt) },
    { header: "Last used", cell: (t) => (t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never") },
    {
      header: "Status",
      cell: (t) => {
        const status = tokenStatus(t, now);
        return <span className={status === "active" ? "badge" : "badge badge-muted"}>{status}</span>;
      },
    },
    {
      header: "Actions",
      hideHeader: true,
      cell: (t) =>
        tokenStatus(t, now) === "active" && (
          <Button small disabled={revoking} onClick={() => onRevoke(t)}>
            Revoke
          </Button>
        ),
    },
  ];
  return <DataTable label="API tokens" columns={columns} rows={tokens} rowKey={(t) => t.id} rowProps={(t) => ({ "data-testid": `token-${t.name}` })} />;
}
