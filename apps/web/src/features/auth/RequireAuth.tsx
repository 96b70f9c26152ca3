import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router";
import { useTRPC } from "../../app/trpc";
import { isSignedOut } from "../../lib/errors";
import { ErrorNotice } from "../../ui/ErrorNotice";
import type { CurrentUser } from "./current-user";
import { loginPathFor } from "./redirect";

/**
 * auth.me decides who is signed in; `children` get the user (app/providers.tsx mounts the
 * signed-in providers with it), so everything below can rely on one.
 */
export function RequireAuth({ children }: { children: (user: CurrentUser) => ReactNode }) {
  const trpc = useTRPC();
  const location = useLocation();
  const me = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));

  if (me.isPending) {
    return (
      <p className="page-status" role="status">
        Loading…
      </p>
    );
  }
  if (me.isError) {
    if (isSignedOut(me.error)) return <Navigate to={loginPathFor(location)} replace />;
    return (
      <main className="page">
        <ErrorNotice title="Could not check your session" error={me.error} onRetry={() => void me.refetch()} />
      </main>
    );
  }
  return children(me.data);
}
