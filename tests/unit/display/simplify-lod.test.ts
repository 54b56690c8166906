import { describe, expect, it } from 'vitest';
import { simplifyPolyline } from '../../../shared/display/simplify';
import { neuronGeometry } from '../../../shared/model/segment-index';
import { seededRandom } from '../../../shared/random';
import { lodTolerance } from '../../../renderer/src/canvas/trace-painter';
import { tracedField } from '../../fixtures/traced-field';

/** Distance from (px, py) to the segment a–b. */
function toSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0;
  return Math.hypot(ax + t * dx - px, ay + t * dy - py);
}
const toPolyline = (px: number, py: number, l: Float64Array) => {
  let best = Infinity;
  for (let i = 2; i < l.length; i += 2) best = Math.min(best, toSegment(px, py, l[i - 2], l[i - 1], l[i], l[i + 1]));
  return l.length === 2 ? Math.hypot(px - l[0], py - l[1]) : best;
};

describe('level-of-detail simplification', () => {
  it('drops collinear and near-collinear vertices and keeps a corner (hand-computed)', () => {
    // An L: 0,0 → 10,0 → 10,10 with vertices every 1 px and one bump of 0.2 px at x = 5.
    const pts: number[] = [];
    for (let x = 0; x <= 10; x++) pts.push(x, x === 5 ? 0.2 : 0);
    for (let y = 1; y <= 10; y++) pts.push(10, y);
    expect([...simplifyPolyline(Float64Array.from(pts), 0.25)]).toEqual([0, 0, 10, 0, 10, 10]);
    // The bump is 0.2 px from the chord: a tolerance of 0.1 keeps it.
    expect([...simplifyPolyline(Float64Array.from(pts), 0.1)]).toEqual([0, 0, 4, 0, 5, 0.2, 6, 0, 10, 0, 10, 10]);
  });

  it('keeps only original vertices, and at every zoom band no drawn point is more than ½ screen px from the traced line', () => {
    const doc = tracedField({ neurons: 4, nodesPerNeuron: 3000, width: 1024, height: 1024, seed: 3 });
    for (let band = -6; band <= -1; band++) {
      const tol = lodTolerance(band);
      // The band covers zooms [2^band, 2^(band+1)): at its top, tol image px is exactly ½ screen px.
      expect(tol * 2 ** (band + 1)).toBe(0.5);
      let kept = 0;
      let total = 0;
      for (const n of doc.neurons)
        for (const line of neuronGeometry(n).lines) {
          const s = simplifyPolyline(line, tol);
          total += line.length / 2;
          kept += s.length / 2;
          expect([s[0], s[1], s.at(-2), s.at(-1)]).toEqual([line[0], line[1], line.at(-2), line.at(-1)]);
          // Every kept point is an original vertex, in order.
          let j = 0;
          for (let i = 0; i < s.length; i += 2) {
            while (j < line.length && !(line[j] === s[i] && line[j + 1] === s[i + 1])) j += 2;
            expect(j).toBeLessThan(line.length);
          }
          // Every original vertex is within tol of the simplified line, and every point sampled along the simplified
          // line (ten per segment) is within tol of the original line.
          for (let i = 0; i < line.length; i += 2) expect(toPolyline(line[i], line[i + 1], s)).toBeLessThanOrEqual(tol + 1e-9);
          for (let i = 2; i < s.length; i += 2)
            for (let f = 0; f <= 10; f++) {
              const x = s[i - 2] + ((s[i] - s[i - 2]) * f) / 10;
              const y = s[i - 1] + ((s[i + 1] - s[i - 1]) * f) / 10;
              expect(toPolyline(x, y, line)).toBeLessThanOrEqual(tol + 1e-9);
            }
        }
      // Zoomed out, most vertices go: that is the point of it.
      if (band <= -3) expect(kept).toBeLessThan(total / 4);
    }
  });

  it('a random zigzag below the tolerance collapses to its ends; above it, keeps its peaks', () => {
    const rand = seededRandom(9);
    const small: number[] = [];
    const big: number[] = [];
    for (let i = 0; i <= 200; i++) {
      small.push(i, i === 0 || i === 200 ? 0 : (rand() - 0.5) * 0.4);
      big.push(i, i % 2 ? 3 : 0);
    }
    const s = simplifyPolyline(Float64Array.from(small), 0.25);
    expect([...s]).toEqual([0, 0, 200, 0]);
    expect(simplifyPolyline(Float64Array.from(big), 0.25).length).toBe(big.length);
  });
});
