import { describe, expect, it } from 'vitest';
import { directedDistance, polylineSegments, tracingDistance } from '../../../shared/analysis/tracing-distance';

describe('Vaa3D spatial distance (SD, SSD, %SSD)', () => {
  it('identical tracings are 0 apart', () => {
    const a = polylineSegments([[[0, 0], [10, 0], [10, 7]]]);
    expect(tracingDistance(a, a)).toMatchObject({ sd: 0, ssd: 0, pctSsd: 0 });
  });

  it('parallel lines 3 px apart: every sample is 3 px off (hand computation)', () => {
    const d = tracingDistance(polylineSegments([[[0, 0], [10, 0]]]), polylineSegments([[[0, 3], [10, 3]]]), 2);
    // ⌊1 + 10 + 0.5⌋ = 11 samples per direction.
    expect(d.aToB.points).toBe(11);
    expect(d).toMatchObject({ sd: 3, ssd: 3, pctSsd: 1 });
  });

  it('an extra 10 px branch: a quarter of the samples are far, at a mean of 10 px (SSD from B→A alone, as Vaa3D)', () => {
    const a = polylineSegments([[[0, 0], [10, 0]]]);
    const b = polylineSegments([[[0, 0], [10, 0]], [[5, 5], [5, 15]]]);
    const d = tracingDistance(a, b, 2);
    // A→B: 11 samples at 0. B→A: 11 at 0 and 11 at 5, 6, …, 15 (mean 10). Vaa3D averages SSD over the directions
    // that have far samples only, so SSD = 10 (not (0 + 10) / 2), while %SSD = (0 + 1/2) / 2.
    expect(d.aToB).toEqual({ points: 11, meanDistance: 0, meanFarDistance: 0, farPoints: 0, farFraction: 0 });
    expect(d.bToA.points).toBe(22);
    expect(d.bToA.farPoints).toBe(11);
    expect(d.bToA.meanFarDistance).toBeCloseTo(10, 12);
    expect(d.sd).toBeCloseTo(2.5, 12);
    expect(d.ssd).toBeCloseTo(10, 12);
    expect(d.pctSsd).toBeCloseTo(0.25, 12);
  });

  it('finds the nearest segment far outside the other tracing’s extent', () => {
    const d = directedDistance(polylineSegments([[[1000, 0], [1000, 0.2]]]), polylineSegments([[[0, 0], [1, 0]]]), 2);
    expect(d.meanDistance).toBeCloseTo(999, 3);
  });

  it('a sample exactly at the threshold counts as far (Vaa3D: d ≥ T)', () => {
    const d = tracingDistance(polylineSegments([[[0, 0], [10, 0]]]), polylineSegments([[[0, 2], [10, 2]]]), 2);
    expect(d).toMatchObject({ sd: 2, ssd: 2, pctSsd: 1 });
  });

  it('measures to the nearest segment, not the nearest node', () => {
    // B is one 200 px segment 3 px above A; its nodes are ≥ 90 px from any point of A.
    const a = polylineSegments([[[0, 0], [10, 0]]]);
    const b = polylineSegments([[[-100, 3], [100, 3]]]);
    const d = tracingDistance(a, b, 4);
    expect(d.aToB).toMatchObject({ points: 11, meanDistance: 3, farPoints: 0 });
    // B→A: ⌊1 + 200 + 0.5⌋ = 201 samples at x = −100 … 100 (spacing 1), each hypot(distance along x to [0, 10], 3).
    const dists = Array.from({ length: 201 }, (_, j) => -100 + j).map((x) => Math.hypot(x < 0 ? -x : x > 10 ? x - 10 : 0, 3));
    const far = dists.filter((v) => v >= 4);
    expect(d.bToA.points).toBe(201);
    expect(d.bToA.meanDistance).toBeCloseTo(dists.reduce((s, v) => s + v, 0) / 201, 10);
    // x in [−2, 12] is < 4 px away (hypot(2, 3) = 3.61, hypot(3, 3) = 4.24): 15 near samples, 186 far.
    expect(far).toHaveLength(186);
    expect(d.bToA.farPoints).toBe(186);
    expect(d.pctSsd).toBeCloseTo(186 / 201 / 2, 12);
  });

  it('an edge shorter than 0.5 is sampled once, at its child end (as Vaa3D)', () => {
    // Segment (0,0) → (0,0.4): ⌊1 + 0.4 + 0.5⌋ = 1 sample, at (0, 0.4); B's point-like segment sits at (0, 3).
    const d = directedDistance([[0, 0, 0, 0, 0.4, 0]], [[0, 3, 0, 0, 3, 0]], 2);
    expect(d.points).toBe(1);
    expect(d.meanDistance).toBeCloseTo(2.6, 12);
  });

  it('samples along z too (3D distance to a segment)', () => {
    // A: 4 units along z at (0, 0); B: the same line shifted by (3, 4, 0): every sample is 5 away.
    const d = tracingDistance([[0, 0, 0, 0, 0, 4]], [[3, 4, 0, 3, 4, 4]], 2);
    expect(d.aToB.points).toBe(5);
    expect(d).toMatchObject({ sd: 5, ssd: 5, pctSsd: 1 });
  });
});
