/** Numbers for the UI: integers as they are, others with up to `digits` significant figures and no float noise. */
export function fmt(v: number, digits = 4): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}
