import { fireEvent, render, screen } from "@testing-library/react";
import { useReducer } from "react";
import { describe, expect, it } from "vitest";
import { initialMapping, mappingInput, mappingReducer } from "./mapping";
import { MappingTable } from "./MappingTable";

type Field = "name" | "status" | "budget";
const fields: readonly Field[] = ["name", "status", "budget"];
let sent: Record<string, string> = {};

function Harness() {
  const [state, dispatch] = useReducer(mappingReducer<Field>, undefined, () =>
    initialMapping<Field>(["Project Title", "State", "Notes"], { "Project Title": "ignore", State: "status", Notes: "ignore" }),
  );
  sent = mappingInput(state);
  return <MappingTable<Field> state={state} dispatch={dispatch} fields={fields} fieldLabel={(f) => f.toUpperCase()} unknown={["Project Title", "Notes"]} disabled={false} />;
}

const select = (column: string) => screen.getByRole("combobox", { name: `Field for column ${column}` }) as HTMLSelectElement;

describe("MappingTable", () => {
  it("shows each column with its suggested field, and says which are unknown", () => {
    render(<Harness />);
    expect(select("State").value).toBe("status");
    expect(select("Project Title").value).toBe("");
    expect(screen.getAllByText("Unknown column: not imported")).toHaveLength(2);
    expect(screen.getByRole("status").textContent).toContain("Not imported: Project Title, Notes.");
  });

  it("lets the user fix a column, moves a field taken twice, and resets to the suggestion", () => {
    render(<Harness />);
    fireEvent.change(select("Project Title"), { target: { value: "name" } });
    expect(sent).toEqual({ "Project Title": "name", State: "status", Notes: "ignore" });
    // The status now comes from Notes; State is ignored from now on.
    fireEvent.change(select("Notes"), { target: { value: "status" } });
    expect(sent).toEqual({ "Project Title": "name", State: "ignore", Notes: "status" });
    expect(select("State").value).toBe("");
    fireEvent.click(screen.getByRole("button", { name: "Back to the suggested mapping" }));
    expect(sent).toEqual({ "Project Title": "ignore", State: "status", Notes: "ignore" });
    expect(screen.queryByRole("button", { name: "Back to the suggested mapping" })).toBeNull();
  });
});
