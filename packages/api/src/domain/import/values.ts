import { projectStatuses, type ProjectStatus } from "@trellis/db/constants";

// What a cell means, per field: the accepted forms of amounts, dates and statuses. Each returns
// the value, or a message for the cell's column. Documented in docs/import-export.md ("Import").

export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): CellResult<T> => ({ ok: true, value });
const bad = (message: string): CellResult<never> => ({ ok: false, message });

/**
 * Text as stored: the export's formula neutralisation (a leading `'` before = + - @ tab CR) is
 * undone; anything else, formulas included, is kept as it is, never evaluated.
 */
export function textCell(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

/**
 * An amount in currency units -> cents, exactly (string arithmetic, no float). Accepted: digits
 * with at most 2 decimals after `.` or `,` ("1234.5", "1234,50"); thousands grouped by `,` or
 * `.` or spaces when the other is the decimal mark ("1,234.50", "1.234,50", "1 234,50"); a
 * currency sign or code before or after ($ € £ USD EUR GBP). Ambiguous forms are refused: a single
 * `,` or `.` followed by exactly three digits ("1,234", "1.234") could be either, unless a `$`/`£`
 * says English separators. Negative amounts are refused by the budget schema.
 */
export function parseBudget(cell: string): CellResult<number> {
  let s = cell.trim().replace(/\u00a0|\u202f/g, " ");
  const english = /[$£]/.test(s);
  s = s.replace(/^(usd|eur|gbp)\s*|\s*(usd|eur|gbp)$/i, "").replace(/[$€£]/g, "").trim();
  const negative = s.startsWith("-");
  if (negative) s = s.slice(1).trim();
  if (!/^[\d][\d., ]*$/.test(s)) return bad('Not an amount: use a number like 1234.50 (a currency sign and thousands separators are fine)');
  const marks = [...new Set(s.replace(/[\d ]/g, ""))];
  let decimal: string | null = null;
  if (marks.length === 2) decimal = s.lastIndexOf(".") > s.lastIndexOf(",") ? "." : ",";
  else if (marks.length === 1) {
    const mark = marks[0] ?? "";
    const parts = s.split(mark);
    const tail = parts.at(-1) ?? "";
    if (parts.length > 2) decimal = null; // "1,234,567": only grouping repeats
    else if (tail.length !== 3 || (parts[0] ?? "").length > 3) decimal = mark;
    // "1,234" groups in English and is a decimal mark elsewhere: only a $ or £ decides.
    else if (english) decimal = mark === "," ? null : ".";
    else return bad(`Ambiguous amount "${cell.trim()}": write 1234 or 1234.00`);
  }
  const at = decimal === null ? -1 : s.lastIndexOf(decimal);
  const whole = at === -1 ? s : s.slice(0, at);
  const fraction = at === -1 ? "" : s.slice(at + 1);
  const separator = decimal === "," ? "[. ]" : decimal === "." ? "[, ]" : "[., ]";
  if (!new RegExp(`^\\d{1,3}(${separator}\\d{3})*$|^\\d+$`).test(whole)) {
    return bad(`Not an amount: "${cell.trim()}" (thousands separators must group 3 digits)`);
  }
  if (!/^\d{0,2}$/.test(fraction)) return bad("At most 2 decimals (cents)");
  const digits = whole.replace(/\D/g, "") + fraction.padEnd(2, "0");
  if (digits.length > 15) return bad("Budget is too large");
  const cents = Number(digits);
  return ok(negative ? -cents : cents);
}

/**
 * A date -> YYYY-MM-DD. Accepted: ISO `2026-12-31` (also `2026/12/31`) and day-first with dots,
 * `31.12.2026` (day and month may be one digit). Slashed day/month forms (`12/11/2026`) are refused:
 * day-first or month-first cannot be told apart. The calendar check (31.02) is the schema's.
 */
export function parseDate(cell: string): CellResult<string> {
  const s = cell.trim();
  const pad = (n: string) => n.padStart(2, "0");
  let m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(s);
  if (m) return ok(`${m[1]}-${pad(m[2] ?? "")}-${pad(m[3] ?? "")}`);
  m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  if (m) return ok(`${m[3]}-${pad(m[2] ?? "")}-${pad(m[1] ?? "")}`);
  if (/^\d{1,2}\/\d{1,2}\/\d{4}$/.test(s)) return bad(`Ambiguous date "${s}": day and month order unknown, use 2026-12-31 or 31.12.2026`);
  return bad("Use a date like 2026-12-31 or 31.12.2026");
}

/** A status by name, case-insensitively, with spaces or dashes for `_` ("On hold" is on_hold). */
export function parseStatus(cell: string): CellResult<ProjectStatus> {
  const s = cell.trim().toLowerCase().replace(/[\s-]+/g, "_");
  const status = projectStatuses.find((p) => p === s);
  return status ? ok(status) : bad(`Unknown status "${cell.trim()}": use one of ${projectStatuses.join(", ")}`);
}

/** A whole number (the `version` column). */
export function parseVersion(cell: string): CellResult<number> {
  const s = cell.trim();
  return /^\d{1,10}$/.test(s) && Number(s) >= 1 && Number(s) <= 2_147_483_647 ? ok(Number(s)) : bad("Must be a version number (1 or more)");
}
