/**
 * Spreadsheet programs run a cell that starts with =, +, - or @ as a formula.
 * Text cells of every CSV (and later XLSX) ddor writes are neutralised with a
 * leading apostrophe; numbers are left alone.
 */
export function neutraliseFormula(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
