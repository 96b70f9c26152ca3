import type { Project } from "@trellis/api/schemas";
import { Link } from "react-router";
import { formatDate, isOverdue } from "../lib/dates";
import { formatCents } from "../lib/money";
import { StatusBadge } from "./StatusBadge";

export function ProjectTable({ items, today }: { items: Project[]; today: string }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Status</th>
            <th scope="col">Owner</th>
            <th scope="col">Due</th>
            <th scope="col">Tags</th>
            <th scope="col" className="num">
              Budget
            </th>
            <th scope="col" className="num">
              Version
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((project) => {
            const overdue = isOverdue(project, today);
            return (
              <tr key={project.id} className={project.archivedAt ? "archived" : undefined}>
                <td>
                  <Link to={`/projects/${project.id}`}>{project.name}</Link>
                  {project.archivedAt && <span className="badge badge-muted">Archived</span>}
                </td>
                <td>
                  <StatusBadge status={project.status} />
                </td>
                <td>{project.ownerName}</td>
                <td className={overdue ? "overdue" : undefined}>
                  {formatDate(project.dueDate)}
                  {overdue && <span className="badge badge-danger">Overdue</span>}
                </td>
                <td>
                  <TagList tags={project.tags} />
                </td>
                <td className="num">{formatCents(project.budgetCents)}</td>
                <td className="num">v{project.version}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function TagList({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="tags" aria-label="Tags">
      {tags.map((tag) => (
        <li key={tag} className="tag">
          {tag}
        </li>
      ))}
    </ul>
  );
}
