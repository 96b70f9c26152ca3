import { Link } from "react-router";

export function NotFoundPage({ what = "page" }: { what?: string }) {
  return (
    <div className="empty">
      <h1>{what === "page" ? "Page not found" : `No such ${what}`}</h1>
      <p className="muted">It may have been moved, or the link is mistyped.</p>
      <Link to="/projects" className="button">
        Back to projects
      </Link>
    </div>
  );
}
