import type { Project } from "@trellis/api/schemas";
import { Link } from "react-router";
import { formatDate } from "../../../lib/dates";
import { type Column, DataTable } from "../../../ui/DataTable";
import { formatCents } from "../lib/money";
import { isOverdue } from "../lib/overdue";
import { StatusBadge } from "./StatusBadge";
import { TagList } from "./TagList";

export function ProjectTable({ items, today }: { items: Project[]; today: string }) {
  const columns: Array<Column<Project>> = [
    {
      header: "Name",
      cell: (project) => (
        <>
          <Link to={`/projects/${project.id}`}>{project.name}</Link>
          {project.archivedAt && <span className="badge badge-muted">Archived</span>}
        </>
      ),
    },
    { header: "Status", cell: (project) => <StatusBadge status={project.status} /> },
    { header: "Owner", cell: (project) => project.ownerName },
    {
      header: "Due",
      cellProps: (project) => ({ className: isOverdue(project, today) ? "overdue" : undefined }),
      cell: (project) => (
        <>
          {formatDate(project.dueDate)}
          {isOverdue(project, today) && <span className="badge badge-danger">Overdue</span>}
        </>
      ),
    },
    { header: "Tags", cell: (project) => <TagList tags={project.tags} /> },
    { header: "Budget", numeric: true, cell: (project) => formatCents(project.budgetCents) },
    { header: "Version", numeric: true, cell: (project) => `v${project.version}` },
  ];
  return (
    <DataTable
      columns={columns}
      rows={items}
      rowKey={(project) => project.id}
      rowProps={(project) => ({ className: project.archivedAt ? "archived" : undefined })}
    />
  );
}
