/** Users change rarely; owner pickers need not refetch the list on every page. */
export const USERS_STALE_MS = 5 * 60_000;

export interface OwnerOption {
  value: string;
  label: string;
}

interface Person {
  id: string;
  name: string;
}

/**
 * Options for an owner select, from `user.list` (already sorted by name):
 * - `blank`: a first option with value "" (e.g. "Anyone" in a filter, "Me (…)" on the create
 *   form, where no ownerId means the creator owns it);
 * - `includeMe`: the signed-in user as "Me (name)" right after it;
 * - `selected`: a value that must stay visible even if it is not among the users (a shared link,
 *   a list that has not loaded yet), labelled by its name when known.
 */
export function ownerOptions(
  users: readonly Person[] | undefined,
  me: Person,
  { blank, includeMe = true, selected }: { blank?: string; includeMe?: boolean; selected?: { id: string; name?: string } } = {},
): OwnerOption[] {
  const options: OwnerOption[] = [];
  if (blank !== undefined) options.push({ value: "", label: blank });
  if (includeMe) options.push({ value: me.id, label: `Me (${me.name})` });
  for (const user of users ?? []) {
    if (user.id !== me.id) options.push({ value: user.id, label: user.name });
  }
  if (selected && selected.id !== "" && !options.some((o) => o.value === selected.id)) {
    options.push({ value: selected.id, label: selected.name ?? `User ${selected.id.slice(0, 8)}…` });
  }
  return options;
}
