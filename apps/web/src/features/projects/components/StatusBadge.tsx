import type { ProjectStatus } from "@trellis/api/schemas";
import { statusLabels } from "../lib/labels";

export function StatusBadge({ status }: { status: ProjectStatus }) {
  return <span className={`badge status-${status}`}>{statusLabels[status]}</span>;
}
