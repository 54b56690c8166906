/**
 * Smoothing and resampling of a traced pixel chain, as APP2 does after pruning. One function, refineCentreline, so
 * that a shared sub-pixel refinement can replace it without touching the tracer.
 */

export interface RefinedCentreline {
  /** Points in document px, first and last and every fixed point kept exactly. */
  points: Array<[number, number]>;
  /** For each fixed input index (in the order given), its index in `points`. */
  fixedAt: number[];
}

/**
 * Moving-average smoothing (±`halfWindow` samples, ends and fixed points pinned, the window shrinking near them so a
 * pinned point is never pulled) followed by resampling at equal arc-length steps of about `spacing` px between
 * consecutive pinned points. `fixed` are indices into `points` that must survive as nodes (branch points); they are
 * sorted and deduplicated here.
 */
export function refineCentreline(points: ReadonlyArray<readonly [number, number]>, fixed: readonly number[], spacing: number, halfWindow = 2): RefinedCentreline {
  const n = points.length;
  if (n === 0) return { points: [], fixedAt: fixed.map(() => 0) };
  const pins = [...new Set([0, n - 1, ...fixed.filter((i) => i >= 0 && i < n)])].sort((a, b) => a - b);
  const pinned = new Uint8Array(n);
  for (const i of pins) pinned[i] = 1;
  const sx = new Float64Array(n);
  const sy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (pinned[i]) {
      sx[i] = points[i][0];
      sy[i] = points[i][1];
      continue;
    }
    // Window limited so that it never reaches past a pinned point (symmetric, so no drift towards one side).
    let w = halfWindow;
    for (let d = 1; d <= halfWindow; d++) {
      if (pinned[i - d] || pinned[i + d]) {
        w = d;
        break;
      }
    }
    let ax = 0;
    let ay = 0;
    for (let j = i - w; j <= i + w; j++) {
      ax += points[j][0];
      ay += points[j][1];
    }
    sx[i] = ax / (2 * w + 1);
    sy[i] = ay / (2 * w + 1);
  }
  const out: Array<[number, number]> = [[sx[0], sy[0]]];
  const at = new Map<number, number>([[0, 0]]);
  for (let k = 1; k < pins.length; k++) {
    const a = pins[k - 1];
    const b = pins[k];
    const cum: number[] = [0];
    for (let i = a + 1; i <= b; i++) cum.push(cum[cum.length - 1] + Math.hypot(sx[i] - sx[i - 1], sy[i] - sy[i - 1]));
    const total = cum[cum.length - 1];
    const steps = Math.max(1, Math.round(total / spacing));
    let j = 0;
    for (let s = 1; s < steps; s++) {
      const target = (total * s) / steps;
      while (j + 1 < cum.length - 1 && cum[j + 1] < target) j++;
      const seg = cum[j + 1] - cum[j];
      const t = seg > 0 ? (target - cum[j]) / seg : 0;
      out.push([sx[a + j] + t * (sx[a + j + 1] - sx[a + j]), sy[a + j] + t * (sy[a + j + 1] - sy[a + j])]);
    }
    out.push([sx[b], sy[b]]);
    at.set(b, out.length - 1);
  }
  return { points: out, fixedAt: fixed.map((i) => at.get(i) ?? 0) };
}
