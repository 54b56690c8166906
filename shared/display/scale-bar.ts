/**
 * Picks a round scale-bar length (1, 2 or 5 × 10^k µm) whose on-screen length is closest to `targetPx` without
 * exceeding twice it. Returns the length in µm and in screen px.
 */
export function scaleBarLength(umPerScreenPx: number, targetPx = 120): { um: number; px: number } {
  if (!(umPerScreenPx > 0) || !Number.isFinite(umPerScreenPx)) return { um: 0, px: 0 };
  const targetUm = umPerScreenPx * targetPx;
  const k = Math.floor(Math.log10(targetUm));
  let best = { um: 0, px: 0, score: Infinity };
  for (const e of [k - 1, k, k + 1]) {
    for (const m of [1, 2, 5]) {
      const um = m * 10 ** e;
      const px = um / umPerScreenPx;
      const score = Math.abs(Math.log(px / targetPx));
      if (score < best.score) best = { um, px, score };
    }
  }
  return { um: Number(best.um.toPrecision(6)), px: best.px };
}

/** "10 µm", "0.5 µm", "2 mm" for a scale bar label. */
export function formatLength(um: number): string {
  if (um >= 1000) return `${Number((um / 1000).toPrecision(6))} mm`;
  return `${Number(um.toPrecision(6))} µm`;
}
