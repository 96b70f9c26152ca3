import type { JobView, Project } from "@trellis/api/schemas";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "../../app/trpc";
import { useProjectWritten } from "../projects/hooks/use-project-written";
import { type IntentPath, intentPolicies } from "./intent-paths";

/**
 * After an intent succeeded: refresh what it made stale (intentPolicies' `refreshes`), the same
 * way whether the page that started it or the reload banner sent it. Pages add only what is
 * theirs (navigation, a notice).
 */
export function useIntentWritten(): (path: IntentPath, result: unknown) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const projectWritten = useProjectWritten();
  return useCallback(
    (path: IntentPath, result: unknown) => {
      switch (intentPolicies[path].refreshes) {
        case "project":
          return projectWritten(result as Project);
        case "users":
          return void queryClient.invalidateQueries(trpc.admin.users.list.pathFilter());
        case "tokens":
          return void queryClient.invalidateQueries(trpc.token.list.queryFilter());
        case "jobs": {
          // The job it started or changed: its copy, and the lists (the header's count too).
          const job = result as JobView;
          queryClient.setQueryData(trpc.job.byId.queryKey({ id: job.id }), job);
          return void queryClient.invalidateQueries(trpc.job.list.pathFilter());
        }
        case "nothing":
          return;
      }
    },
    [trpc, queryClient, projectWritten],
  );
}
