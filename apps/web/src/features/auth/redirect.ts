export const HOME_PATH = "/projects";

/** Where the login page sends the user back to: only same-site paths, never an open redirect. */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return HOME_PATH;
  if (next === "/login" || next.startsWith("/login?")) return HOME_PATH;
  return next;
}

export function loginPathFor(location: { pathname: string; search: string }): string {
  const here = `${location.pathname}${location.search}`;
  return here === "/" || location.pathname === "/login" ? "/login" : `/login?next=${encodeURIComponent(here)}`;
}
