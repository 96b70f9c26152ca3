import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../app/trpc";
import { ErrorNotice } from "../../ui/ErrorNotice";
import { statusLabels } from "./lib/labels";
import { formatCents } from "./lib/money";

export function StatsPage() {
  const trpc = useTRPC();
  const stats = useQuery(trpc.project.stats.queryOptions());

  if (stats.isPending) return <p className="page-status" role="status">Loading stats…</p>;
  if (stats.isError) return <ErrorNotice title="Could not load stats" error={stats.error} onRetry={() => void stats.refetch()} />;

  const { total, overdue, archived, byStatus } = stats.data;
  return (
    <>
      <div className="page-head">
        <h1>Stats</h1>
      </div>
      <div className="cards">
        <Card label="Projects" value={total} hint="Not archived" />
        <Card label="Overdue" value={overdue} hint="Past due, still open" tone={overdue > 0 ? "danger" : undefined} />
        <Card label="Archived" value={archived} />
      </div>
      <div className="chart-grid">
        <Bars
          title="Projects by status"
          rows={byStatus.map((s) => ({ key: s.status, label: statusLabels[s.status], value: s.count, text: String(s.count) }))}
        />
        <Bars
          title="Budget by status"
          rows={byStatus.map((s) => ({ key: s.status, label: statusLabels[s.status], value: s.budgetCents, text: formatCents(s.budgetCents) }))}
        />
      </div>
    </>
  );
}

function Card({ label, value, hint, tone }: { label: string; value: number; hint?: string; tone?: "danger" }) {
  return (
    <section className={tone ? `card card-${tone}` : "card"} aria-label={label}>
      <p className="card-label">{label}</p>
      <p className="card-value">{value}</p>
      {hint && <p className="muted small">{hint}</p>}
    </section>
  );
}

function Bars({ title, rows }: { title: string; rows: Array<{ key: string; label: string; value: number; text: string }> }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <section className="panel">
      <h2>{title}</h2>
      <table className="bars">
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.label}</th>
              <td className="bar-cell">
                {row.value > 0 && <div className={`bar status-${row.key}`} style={{ width: `${(row.value / max) * 100}%` }} />}
              </td>
              <td className="num">{row.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
