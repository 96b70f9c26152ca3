/** Owners seen in loaded list pages, kept across filter changes so the owner filter can offer them. */
export function mergeOwners(
  known: ReadonlyMap<string, string>,
  items: ReadonlyArray<{ ownerId: string; ownerName: string }>,
): ReadonlyMap<string, string> {
  let next: Map<string, string> | undefined;
  for (const { ownerId, ownerName } of items) {
    if (known.get(ownerId) === ownerName) continue;
    next ??= new Map(known);
    next.set(ownerId, ownerName);
  }
  // Same object when nothing is new, so React can skip the re-render.
  return next ?? known;
}

export function sortedOwners(known: ReadonlyMap<string, string>): Array<{ id: string; name: string }> {
  return [...known].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}
