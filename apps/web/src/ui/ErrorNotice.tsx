import { errorDataOf, messageOf } from "../lib/errors";
import { Button } from "./Button";

/** A failed request, said plainly, with a retry when one makes sense. */
export function ErrorNotice({ error, title, onRetry }: { error: unknown; title?: string; onRetry?: () => void }) {
  const requestId = errorDataOf(error)?.requestId;
  return (
    <div className="notice notice-error" role="alert">
      {title && <strong>{title}</strong>}
      <p>{messageOf(error)}</p>
      {requestId && <p className="muted small">Request id: {requestId}</p>}
      {onRetry && (
        <Button onClick={onRetry}>Try again</Button>
      )}
    </div>
  );
}
