import { describe, expect, it } from 'vitest';
import { fibreStarts } from '../../../../shared/tracing/auto/fibre-starts';

/** A mask of 3 px wide strokes between the given points, and its depth (distance to background, 2 on a stroke's axis). */
function strokes(width: number, height: number, lines: Array<[number, number, number, number]>) {
  const mask = new Uint8Array(width * height);
  const depth = new Float32Array(width * height);
  for (const [x0, y0, x1, y1] of lines) {
    const n = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
    for (let k = 0; k <= n; k++) {
      const cx = Math.round(x0 + ((x1 - x0) * k) / n);
      const cy = Math.round(y0 + ((y1 - y0) * k) / n);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const i = cx + dx + width * (cy + dy);
          mask[i] = 1;
          depth[i] = Math.max(depth[i], dx === 0 && dy === 0 ? 2 : 1);
        }
      }
    }
  }
  return { mask, depth };
}

const options = { minLengthPx: 20, neuriteRadius: 1.5, edgePx: 3 };

describe('fibre starts on a field without cell bodies (fibre-starts.ts)', () => {
  it('an arbor wholly inside the field starts at its trunk’s end, not at a twig', () => {
    // Trunk (50, 90) → (50, 50), forks into (30, 30) and (70, 30), each of those forks again 10 px on.
    const { mask, depth } = strokes(100, 100, [
      [50, 90, 50, 50],
      [50, 50, 30, 30],
      [50, 50, 70, 30],
      [30, 30, 22, 22],
      [30, 30, 38, 20],
      [70, 30, 62, 20],
      [70, 30, 78, 22],
    ]);
    const [start, ...rest] = fibreStarts(mask, depth, 100, 100, options);
    expect(rest).toEqual([]);
    // The trunk's last row of pixels is y = 91 (the stroke is 3 px wide); its end is one of those pixels.
    expect(start.y).toBe(91.5);
    expect(Math.abs(start.x - 50.5)).toBeLessThanOrEqual(1);
  });

  it('a fibre entering from the image’s edge starts there; pieces shorter than the minimum are left out', () => {
    const { mask, depth } = strokes(100, 60, [
      [1, 30, 60, 30],
      [60, 30, 80, 10],
      [60, 30, 80, 50],
      // 12 px of debris: 39 px of area over a 3 px width is 13 px long, under 20.
      [85, 55, 95, 55],
    ]);
    expect(fibreStarts(mask, depth, 100, 60, options)).toEqual([{ x: 0.5, y: 30.5 }]);
  });

  it('at the edge, the start is where the signal peaks across the fibre, not the middle of the foreground there', () => {
    // A fibre entering from the top at x = 20 and a spine beside it (x 21..29) that touches the edge too: the
    // foreground's top row runs x 19..30, its middle x = 24; the fibre's cross-section peaks at x = 20.
    const { mask, depth } = strokes(60, 60, [
      [20, 1, 20, 55],
      [20, 4, 28, 1],
    ]);
    const data = new Float32Array(60 * 60);
    for (let y = 0; y < 60; y++) for (let x = 0; x < 60; x++) data[x + 60 * y] = mask[x + 60 * y] ? 100 - 10 * Math.abs(x - 20) : 0;
    expect(fibreStarts(mask, depth, 60, 60, { ...options, signal: { data, background: 0 } })).toEqual([{ x: 20.5, y: 0.5 }]);
  });

  it('several pieces: one start each, the largest first; an empty field has none', () => {
    const { mask, depth } = strokes(120, 60, [
      [10, 10, 10, 40],
      [60, 10, 60, 55],
    ]);
    const starts = fibreStarts(mask, depth, 120, 60, options);
    expect(starts.length).toBe(2);
    // A straight fibre has no trunk to prefer: either end. Ends: rows 9 / 56 and 9 / 41.
    expect(Math.abs(starts[0].x - 60.5)).toBeLessThanOrEqual(1);
    expect([9.5, 56.5]).toContain(starts[0].y);
    expect(Math.abs(starts[1].x - 10.5)).toBeLessThanOrEqual(1);
    expect([9.5, 41.5]).toContain(starts[1].y);
    expect(fibreStarts(new Uint8Array(100), new Float32Array(100), 10, 10, options)).toEqual([]);
  });
});
