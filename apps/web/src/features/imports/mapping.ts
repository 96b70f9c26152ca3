/**
 * The column → field mapping of an uploaded CSV, as the user edits it before a dry run. Pure:
 * the import page keeps it in a reducer; the server's suggestion is where it starts.
 *
 * A column maps to one field or to nothing (ignored); a field takes its value from at most one
 * column, so choosing a field for a column takes it away from the column that had it.
 */
export type ColumnMapping<F extends string = string> = Readonly<Record<string, F | null>>;

export interface MappingState<F extends string = string> {
  /** The file's header row, in file order. */
  columns: readonly string[];
  mapping: ColumnMapping<F>;
  /** What the server suggested, to tell an edited mapping from the suggestion and to reset to it. */
  suggested: ColumnMapping<F>;
}

export type MappingAction<F extends string = string> =
  | { type: "set"; column: string; field: F | null }
  | { type: "reset" };

/**
 * The state for a fresh upload: every column of the header, mapped as the server suggested
 * (its "ignore", or no word at all, is null here).
 */
export function initialMapping<F extends string>(columns: readonly string[], suggested: Partial<Record<string, F | "ignore" | null>>): MappingState<F> {
  const mapping = normalise(columns, suggested);
  return { columns, mapping, suggested: mapping };
}

export function mappingReducer<F extends string>(state: MappingState<F>, action: MappingAction<F>): MappingState<F> {
  switch (action.type) {
    case "set":
      return { ...state, mapping: assignColumn(state.mapping, action.column, action.field) };
    case "reset":
      return { ...state, mapping: state.suggested };
  }
}

/** `column` mapped to `field` (null: ignored); another column that had `field` is ignored from now on. */
export function assignColumn<F extends string>(mapping: ColumnMapping<F>, column: string, field: F | null): ColumnMapping<F> {
  if (!Object.hasOwn(mapping, column)) return mapping;
  const next: Record<string, F | null> = {};
  for (const [name, current] of Object.entries(mapping)) {
    next[name] = name === column ? field : field !== null && current === field ? null : current;
  }
  return next;
}

/** The columns no field takes its value from: they are not imported. */
export function ignoredColumns(state: Pick<MappingState, "columns" | "mapping">): string[] {
  return state.columns.filter((column) => (state.mapping[column] ?? null) === null);
}

/** The `required` fields no column maps to. */
export function missingFields<F extends string>(mapping: ColumnMapping<F>, required: readonly F[]): F[] {
  const mapped = new Set(Object.values(mapping));
  return required.filter((field) => !mapped.has(field));
}

/** The user changed the suggestion. */
export function isEdited(state: MappingState): boolean {
  return state.columns.some((column) => (state.mapping[column] ?? null) !== (state.suggested[column] ?? null));
}

/** What is sent with the dry run and the apply: every column of the file, with its field or "ignore". */
export function mappingInput<F extends string>(state: MappingState<F>): Record<string, F | "ignore"> {
  return Object.fromEntries(state.columns.map((column) => [column, state.mapping[column] ?? "ignore"]));
}

function normalise<F extends string>(columns: readonly string[], suggested: Partial<Record<string, F | "ignore" | null>>): ColumnMapping<F> {
  let mapping: ColumnMapping<F> = Object.fromEntries(columns.map((column) => [column, null]));
  // Through assignColumn, so a suggestion that maps two columns to one field keeps the first only.
  for (const column of [...columns].reverse()) {
    const field = suggested[column];
    if (field && field !== "ignore") mapping = assignColumn(mapping, column, field);
  }
  return mapping;
}
