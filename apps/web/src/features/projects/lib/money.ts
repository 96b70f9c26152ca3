/** Budgets are stored as integer cents; people read and type currency units. */
export const CURRENCY = "USD";
const currencyFormat = new Intl.NumberFormat("en-US", { style: "currency", currency: CURRENCY });

export function formatCents(cents: number | null): string {
  return cents === null ? "—" : currencyFormat.format(cents / 100);
}

/** Plain text for an input (no grouping or symbol), so it parses back unchanged. */
export function centsToInput(cents: number | null): string {
  if (cents === null) return "";
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

export type ParsedAmount = { ok: true; cents: number | null } | { ok: false; message: string };

/**
 * "1,234.5" -> 123450 cents, "" -> null. Parsed with integer arithmetic so 0.29 is 29 cents,
 * not 28.999…; range and sign are left to the shared zod schema so its messages apply.
 */
export function parseAmount(text: string): ParsedAmount {
  const cleaned = text.replace(/[\s,$]/g, "");
  if (cleaned === "") return { ok: true, cents: null };
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[2] === "" && (match[3] ?? "") === "")) {
    return { ok: false, message: "Enter an amount like 1250.50" };
  }
  const [, sign, whole = "", fraction = ""] = match;
  if (fraction.length > 2) return { ok: false, message: "Use at most two decimal places" };
  const cents = Number(BigInt(whole || "0") * 100n + BigInt(fraction.padEnd(2, "0") || "0"));
  return { ok: true, cents: sign === "-" ? -cents : cents };
}
