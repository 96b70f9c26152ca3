import { type QueryKey, useQueries, type UseQueryOptions } from "@tanstack/react-query";
import { useState } from "react";

/**
 * A keyset-paged list read a page at a time ("Load more"), one query per cursor. For procedures
 * whose strict input takes no `direction` (tRPC's infinite queries send one with every page):
 * the job reads. `scope` names the list's input without the cursor; when it changes, paging starts over.
 */
export function useCursorPages<TPage extends { nextCursor: string | null }, TError, TQueryKey extends QueryKey>(
  scope: string,
  pageQuery: (cursor: string | undefined) => UseQueryOptions<TPage, TError, TPage, TQueryKey>,
) {
  const [state, setState] = useState<{ scope: string; cursors: Array<string | undefined> }>({ scope, cursors: [undefined] });
  const cursors = state.scope === scope ? state.cursors : [undefined];
  const results = useQueries({ queries: cursors.map((cursor) => pageQuery(cursor)) });
  // There is always a first page (cursors starts with one).
  const [first] = results as [(typeof results)[number], ...typeof results];
  const last = results.at(-1) ?? first;
  const nextCursor = last.data?.nextCursor ?? null;
  return {
    /** The pages loaded so far, in order (a page still loading is left out). */
    pages: results.flatMap((result) => (result.data ? [result.data] : [])),
    isPending: first.isPending,
    /** The first page failed (later pages' errors are `error` too, with the loaded pages kept). */
    isError: first.isError,
    error: results.find((result) => result.error)?.error ?? null,
    isPlaceholderData: first.isPlaceholderData,
    hasNextPage: nextCursor !== null,
    isFetchingNextPage: cursors.length > 1 && last.isPending,
    fetchNextPage: () => {
      if (nextCursor !== null) setState({ scope, cursors: [...cursors, nextCursor] });
    },
    refetch: () => {
      for (const result of results) void result.refetch();
    },
  };
}
