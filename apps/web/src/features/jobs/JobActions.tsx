import type { JobView } from "@trellis/api/schemas";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "../../app/trpc";
import { messageOf } from "../../lib/errors";
import { Button } from "../../ui/Button";
import { useCurrentUser } from "../auth/current-user";
import { useIntent } from "../intents/use-intent";
import { canWrite } from "../projects/lib/labels";
import { canCancel, canRetry, jobLabel } from "./job-labels";

/**
 * Cancel and Retry, where the job allows them (and Retry for writers only: it starts work again).
 * Each click is an intent: a double click or a retry after a dropped connection lands once. A
 * refusal (the job finished meanwhile: 409 with its state) is said in words; the lists refresh.
 */
export function JobActions({ job }: { job: JobView }) {
  const user = useCurrentUser();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Refused (it finished, or was retried, meanwhile): show what is true now beside the reason.
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.job.byId.queryFilter({ id: job.id }));
    void queryClient.invalidateQueries(trpc.job.list.pathFilter());
  };
  const cancel = useIntent("job.cancel", { onError: refresh });
  const retry = useIntent("job.retry", { onError: refresh });
  const label = jobLabel(job);
  const error = cancel.error ?? retry.error;
  const showCancel = canCancel(job);
  const showRetry = canRetry(job) && canWrite(user.role);
  if (!showCancel && !showRetry && !error) return null;
  return (
    <div className="actions">
      {showCancel && (
        <Button small onClick={() => cancel.submit({ id: job.id }, `Cancel job “${label}”`)} disabled={cancel.isPending}>
          {cancel.isPending ? "Cancelling…" : "Cancel"}
        </Button>
      )}
      {showRetry && (
        <Button small onClick={() => retry.submit({ id: job.id }, `Retry job “${label}”`)} disabled={retry.isPending}>
          {retry.isPending ? "Retrying…" : "Retry"}
        </Button>
      )}
      {error && (
        <span className="small overdue" role="alert">
          {messageOf(error)}
        </span>
      )}
    </div>
  );
}
