import type { RouterOutputs } from "@trellis/api";
import { createContext, useContext } from "react";

export type CurrentUser = RouterOutputs["auth"]["me"];

/** Provided (see app/providers.tsx) once RequireAuth has the answer of auth.me. */
export const CurrentUserContext = createContext<CurrentUser | null>(null);

export function useCurrentUser(): CurrentUser {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error("useCurrentUser must be used below <RequireAuth>");
  return user;
}
