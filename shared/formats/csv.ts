/**
 * CSV for statistics software (RFC 4180): comma separator, CRLF line ends, fields quoted only when they contain a
 * comma, quote, CR or LF (quotes doubled). Numbers use '.' as decimal separator, no thousands separators, and are
 * rounded to 10 significant digits so binary noise (0.1 + 0.2 → 0.30000000000000004) prints as 0.3; exponent form
 * (e.g. 1.5e-7) appears only below 1e-6 or at 1e21 and above, as JavaScript prints numbers, which R, pandas and
 * spreadsheet programs all read. null, undefined, NaN and ±Infinity are empty fields; -0 prints as 0.
 */
export type CsvValue = string | number | boolean | null | undefined;

/** Significant digits kept when printing numbers. */
export const CSV_SIGNIFICANT_DIGITS = 10;

/** A number as CSV (and JSON output) prints it; '' for non-finite values. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '';
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return v === 0 ? '0' : String(v);
  const s = String(Number(v.toPrecision(CSV_SIGNIFICANT_DIGITS)));
  return s === '-0' ? '0' : s;
}

/** Rounds a number the way formatNumber prints it (for JSON output with the same precision). */
export function roundNumber(v: number): number {
  if (!Number.isFinite(v) || Number.isInteger(v)) return v;
  const r = Number(v.toPrecision(CSV_SIGNIFICANT_DIGITS));
  return r === 0 ? 0 : r;
}

/** One field, quoted when needed. */
export function csvField(v: CsvValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Header plus rows; every line ends in CRLF. Rows shorter than the header are padded with empty fields. */
export function writeCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<CsvValue>>): string {
  const lines = [header.map(csvField).join(',')];
  for (const r of rows) {
    const cells: string[] = [];
    for (let i = 0; i < Math.max(header.length, r.length); i++) cells.push(csvField(r[i]));
    lines.push(cells.join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
