import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTRPC } from "../../app/trpc";
import { activeJobStates } from "./job-labels";

/** While some of my jobs are unfinished the count refreshes this often; otherwise rarely (a start here refreshes it at once). */
const ACTIVE_MS = 3_000;
const IDLE_MS = 60_000;
const LIMIT = 50;

/**
 * The header's count of my unfinished jobs, linking to the Jobs page. One small query, no
 * stream: the page's own write (project.bulk, job.retry) refreshes job.list through its intent,
 * and jobs started elsewhere show within a minute or on focus.
 */
export function RunningJobsIndicator() {
  const trpc = useTRPC();
  const running = useQuery(
    trpc.job.list.queryOptions(
      { scope: "mine", states: [...activeJobStates], limit: LIMIT },
      { refetchInterval: (query) => ((query.state.data?.items.length ?? 0) > 0 ? ACTIVE_MS : IDLE_MS) },
    ),
  );
  const count = running.data?.items.length ?? 0;
  if (count === 0) return null;
  const text = `${running.data?.nextCursor ? `${LIMIT}+` : count} job${count === 1 ? "" : "s"} running`;
  return (
    <Link to="/jobs" className="jobs-indicator" data-testid="running-jobs" aria-live="polite">
      {text}
    </Link>
  );
}
