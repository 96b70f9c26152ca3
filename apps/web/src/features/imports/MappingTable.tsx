import type { Dispatch } from "react";
import { Button } from "../../ui/Button";
import { ignoredColumns, isEdited, type MappingAction, type MappingState } from "./mapping";

/**
 * The file's columns, each with the project field it fills (a select per column; "Ignore" leaves
 * it out). Columns the server did not recognise start ignored and are said so.
 */
export function MappingTable<F extends string>({
  state,
  dispatch,
  fields,
  fieldLabel,
  unknown,
  disabled,
}: {
  state: MappingState<F>;
  dispatch: Dispatch<MappingAction<F>>;
  fields: readonly F[];
  fieldLabel: (field: F) => string;
  /** The columns the server could not map to any field. */
  unknown: readonly string[];
  disabled: boolean;
}) {
  const ignored = ignoredColumns(state);
  return (
    <>
      <div className="table-wrap">
        <table className="table" aria-label="Column mapping">
          <thead>
            <tr>
              <th scope="col">Column in the file</th>
              <th scope="col">Project field</th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {state.columns.map((column) => {
              const field = state.mapping[column] ?? null;
              return (
                <tr key={column} data-column={column}>
                  <th scope="row">{column}</th>
                  <td>
                    <select
                      aria-label={`Field for column ${column}`}
                      value={field ?? ""}
                      disabled={disabled}
                      onChange={(event) => {
                        const value = fields.find((f) => f === event.target.value) ?? null;
                        dispatch({ type: "set", column, field: value });
                      }}
                    >
                      <option value="">Ignore this column</option>
                      {fields.map((f) => (
                        <option key={f} value={f}>
                          {fieldLabel(f)}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="small muted">
                    {unknown.includes(column) && field === null ? "Unknown column: not imported" : field === null ? "Not imported" : ""}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p className="small muted" role="status">
        {ignored.length === 0 ? "Every column is imported." : `Not imported: ${ignored.join(", ")}.`}
        {isEdited(state) && (
          <>
            {" "}
            <Button small disabled={disabled} onClick={() => dispatch({ type: "reset" })}>
              Back to the suggested mapping
            </Button>
          </>
        )}
      </p>
    </>
  );
}
