import type { Project } from "@trellis/api/schemas";
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "../../../app/trpc";

/**
 * After one project changed: store it as that project's byId, and refetch only what can
 * show it (its activity and history, lists, stats). Nothing else in the cache is touched.
 */
export function useProjectWritten(): (project: Project) => void {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    (project: Project) => {
      // A live update may already have brought a newer copy: never step back to an older one.
      queryClient.setQueryData(trpc.project.byId.queryKey({ id: project.id }), (cached) =>
        cached && cached.version > project.version ? cached : project,
      );
      void queryClient.invalidateQueries(trpc.project.activity.infiniteQueryFilter({ id: project.id }));
      void queryClient.invalidateQueries(trpc.project.history.queryFilter({ id: project.id }));
      void queryClient.invalidateQueries(trpc.project.list.pathFilter());
      void queryClient.invalidateQueries(trpc.project.stats.pathFilter());
    },
    [trpc, queryClient],
  );
}
