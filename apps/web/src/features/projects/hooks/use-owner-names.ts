import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { USERS_STALE_MS } from "../lib/owner-options";
import { useTRPC } from "../../../app/trpc";

/** User id -> name from user.list (cached; shared with the owner pickers), plus names already known. */
export function useOwnerNames(known: ReadonlyArray<{ id: string; name: string }> = []): ReadonlyMap<string, string> {
  const trpc = useTRPC();
  const users = useQuery(trpc.user.list.queryOptions(undefined, { staleTime: USERS_STALE_MS }));
  const key = known.map((k) => `${k.id}=${k.name}`).join(",");
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const user of users.data ?? []) names.set(user.id, user.name);
    for (const k of known) if (!names.has(k.id)) names.set(k.id, k.name);
    return names;
    // `known` is compared by content (`key`): callers pass fresh arrays.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [users.data, key]);
}
