import type { Project } from "@trellis/api/schemas";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "../trpc";

/**
 * After one project changed: store it as that project's byId, and refetch only what can
 * show it (its activity, lists, stats). Nothing else in the cache is touched.
 */
export function useProjectWritten(): (project: Project) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    (project: Project) => {
      queryClient.setQueryData(trpc.project.byId.queryKey({ id: project.id }), project);
      void queryClient.invalidateQueries(trpc.project.activity.infiniteQueryFilter({ id: project.id }));
      void queryClient.invalidateQueries(trpc.project.list.pathFilter());
      void queryClient.invalidateQueries(trpc.project.stats.pathFilter());
    },
    [trpc, queryClient],
  );
}
