import { describe, expect, it } from "vitest";
import { suggestMapping } from "../../routers/import/schemas.js";
import { decodeCsv, detectDelimiter, openCsv } from "./csv.js";
import { hashKey, planColumns, readRow } from "./rows.js";
import { parseBudget, parseDate, parseStatus, textCell } from "./values.js";

// The pure parts of an import: cell formats, decoding, the header checks, mapping and keys.

const value = <T>(r: { ok: true; value: T } | { ok: false; message: string }) => (r.ok ? r.value : `error: ${r.message}`);

describe("parseBudget", () => {
  it.each([
    ["1234", 123_400],
    ["1234.5", 123_450],
    ["1234,50", 123_450],
    ["$1,234.50", 123_450],
    ["1,234.50", 123_450],
    ["1.234,50 €", 123_450],
    ["€ 1 234,50", 123_450],
    ["1 234", 123_400],
    ["1,234,567", 123_456_700],
    ["1.234.567,89", 123_456_789],
    ["USD 12.00", 1_200],
    ["12 EUR", 1_200],
    ["£1,234", 123_400],
    ["0", 0],
    ["-5", -500],
  ])("%s -> %i cents", (cell, cents) => expect(value(parseBudget(cell))).toBe(cents));

  it.each([
    ["1,234", /Ambiguous/],
    ["1.234", /Ambiguous/],
    ["1.2345", /At most 2 decimals/],
    ["12,34,5", /thousands separators/],
    ["=1+2", /Not an amount/],
    ["about 5", /Not an amount/],
    ["1e5", /Not an amount/],
    ["9999999999999999", /too large/],
  ])("%s is refused", (cell, message) => expect(value(parseBudget(cell))).toMatch(message));
});

describe("parseDate and parseStatus", () => {
  it.each([
    ["2026-12-31", "2026-12-31"],
    ["2026/1/5", "2026-01-05"],
    ["31.12.2026", "2026-12-31"],
    ["1.2.2027", "2027-02-01"],
  ])("%s -> %s", (cell, iso) => expect(value(parseDate(cell))).toBe(iso));
  it.each([
    ["12/11/2026", /Ambiguous/],
    ["Dec 31 2026", /Use a date like/],
    ["2026-12-31T10:00:00Z", /Use a date like/],
  ])("%s is refused", (cell, message) => expect(value(parseDate(cell))).toMatch(message));
  it("statuses by name, any case, with spaces or dashes", () => {
    expect(value(parseStatus("On hold"))).toBe("on_hold");
    expect(value(parseStatus("ACTIVE"))).toBe("active");
    expect(value(parseStatus("done"))).toMatch(/Unknown status/);
  });
  it("text is kept as it is; only the export's neutralising apostrophe is removed", () => {
    expect(textCell("=1+2")).toBe("=1+2");
    expect(textCell("'=1+2")).toBe("=1+2");
    expect(textCell("'quoted")).toBe("'quoted");
  });
});

describe("reading the file", () => {
  it("drops a UTF-8 BOM, decodes UTF-16 by its BOM, and refuses other bytes", () => {
    expect(decodeCsv(Buffer.from("\uFEFFname\nx")).text).toBe("name\nx");
    expect(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("näme", "utf16le")]))).toEqual({ text: "näme", encoding: "utf-16le" });
    const be = Buffer.from("nä", "utf16le").swap16();
    expect(decodeCsv(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ text: "nä", encoding: "utf-16be" });
    expect(() => decodeCsv(Buffer.from([0x63, 0x61, 0x66, 0xe9]))).toThrow(/not UTF-8/);
  });
  it("detects the delimiter from the header line", () => {
    expect(detectDelimiter("a;b;c\n1,2;3")).toBe(";");
    expect(detectDelimiter("a\tb\n")).toBe("\t");
    expect(detectDelimiter("name\n")).toBe(",");
  });
  it("refuses duplicate headers (case-insensitively) and an empty file", async () => {
    await expect(openCsv(Buffer.from("Name,name\n"))).rejects.toThrow(/"name" appears twice/);
    await expect(openCsv(Buffer.from(" \n\n"))).rejects.toThrow(/empty/);
  });
  it("numbers rows by the line they start on, skipping blank rows", async () => {
    const file = await openCsv(Buffer.from('name,d\r\na,"x\r\ny"\r\n\r\n,\r\nb,z\r\n'));
    const rows = [];
    for await (const r of file.rows) rows.push(r);
    expect(rows).toEqual([
      { line: 2, cells: ["a", "x\r\ny"] },
      { line: 6, cells: ["b", "z"] },
    ]);
  });
});

describe("mapping and keys", () => {
  it("suggests fields by header, case-insensitively and by alias; the first of two wins; unknowns are listed", () => {
    expect(suggestMapping(["Title", "Owner Email", "DUE_DATE", "budget", "External ID", "name", "Colour", "version", "id"])).toEqual({
      mapping: { Title: "name", "Owner Email": "owner", DUE_DATE: "dueDate", budget: "budget", "External ID": "externalId", name: "ignore", Colour: "ignore", version: "version", id: "id" },
      unknownColumns: ["Colour"],
    });
  });
  it("refuses a mapping naming a missing column, or two columns for one field", () => {
    expect(() => planColumns(["a"], { b: "name" })).toThrow(/does not have: "b"/);
    expect(() => planColumns(["a", "b"], { a: "name", b: "name" })).toThrow(/Both "a" and "b"/);
    expect(() => planColumns(["a"], { a: "tags" })).toThrow(/Map a column to name/);
  });
  it("keys a row by external id, else by project id, else by a hash of its mapped cells and the mapping", () => {
    const plan = planColumns(["ext", "name", "id"], { ext: "externalId", name: "name", id: "id" });
    const id = "0b7e7d5e-8a7a-4a44-9a3f-3a4e8a0b1c2d";
    expect(readRow(plan, ["E-1", "A", id], 3)).toMatchObject({ ok: true, key: "ext:E-1", id });
    expect(readRow(plan, ["", "A", id.toUpperCase()], 3)).toMatchObject({ ok: true, key: `id:${id}` });
    const byName = planColumns(["name", "notes"], { name: "name", notes: "ignore" });
    const a = readRow(byName, ["A", "one"], 2);
    const b = readRow(byName, [" A ", "two"], 2);
    expect(a.ok && b.ok && a.hashBase === b.hashBase).toBe(true);
    const other = readRow(planColumns(["name", "notes"], { name: "name", notes: "description" }), ["A", "one"], 2);
    expect(a.ok && other.ok && a.hashBase !== other.hashBase).toBe(true);
    expect(a.ok && hashKey(a.hashBase!, 0)).not.toBe(a.ok && hashKey(a.hashBase!, 1));
  });
  it("reports errors by column header, and a ragged row as a whole", () => {
    const plan = planColumns(["Title", "Budget", "Due"], { Title: "name", Budget: "budget", Due: "dueDate" });
    expect(readRow(plan, ["x".repeat(201), "1,234", "31.02.2026"], 3)).toEqual({
      ok: false,
      fieldErrors: { Budget: [expect.stringMatching(/Ambiguous/)], Title: ["At most 200 characters"], Due: ["Use a date like 2026-12-31"] },
    });
    expect(readRow(plan, ["a", "b"], 3)).toEqual({ ok: false, formErrors: ["Expected 3 cells (one per column), found 2"] });
  });
});
