import { ButtonLink } from "./Button";

export function NotFoundPage({ what = "page" }: { what?: string }) {
  return (
    <div className="empty">
      <h1>{what === "page" ? "Page not found" : `No such ${what}`}</h1>
      <p className="muted">It may have been moved, or the link is mistyped.</p>
      <ButtonLink to="/projects">Back to projects</ButtonLink>
    </div>
  );
}
