import type { Project } from "@trellis/api/schemas";
import { Link } from "react-router";
import { formatDate } from "../../../lib/dates";
import { type Column, DataTable } from "../../../ui/DataTable";
import { formatCents } from "../lib/money";
import { isOverdue } from "../lib/overdue";
import { StatusBadge } from "./StatusBadge";
import { TagList } from "./TagList";

/** Checkboxes per row and for the loaded rows ("select page"), for bulk changes. */
export interface TableSelection {
  isSelected: (id: string) => boolean;
  page: "all" | "some" | "none";
  onToggle: (project: Project) => void;
  onTogglePage: (selected: boolean) => void;
}

export function ProjectTable({ items, today, selection }: { items: Project[]; today: string; selection?: TableSelection }) {
  const selectColumn: Column<Project> = {
    header: selection ? <PageCheckbox selection={selection} /> : null,
    className: "select-cell",
    cell: (project) => (
      <input
        type="checkbox"
        aria-label={`Select ${project.name}`}
        checked={selection?.isSelected(project.id) ?? false}
        onChange={() => selection?.onToggle(project)}
      />
    ),
  };
  const columns: Array<Column<Project>> = [
    ...(selection ? [selectColumn] : []),
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

function PageCheckbox({ selection }: { selection: TableSelection }) {
  return (
    <input
      type="checkbox"
      aria-label="Select all shown"
      checked={selection.page === "all"}
      // "Some": neither checked nor not, as a tri-state checkbox shows it.
      ref={(input) => {
        if (input) input.indeterminate = selection.page === "some";
      }}
      onChange={() => selection.onTogglePage(selection.page !== "all")}
    />
  );
}
