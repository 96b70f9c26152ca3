/**
 * Spreadsheets run cells that start with = + - @ (or a tab/CR) as formulas; exported cells hold
 * text people typed (names, emails, descriptions), so such cells get a leading apostrophe (OWASP
 * "CSV injection"). Shared by every CSV Trellis writes (the audit export, the project export).
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
