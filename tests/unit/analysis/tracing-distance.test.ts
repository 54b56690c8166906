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

  it('an extra 10 px branch: half of B is far from A, at a mean of 10 px', () => {
    const a = polylineSegments([[[0, 0], [10, 0]]]);
    const b = polylineSegments([[[0, 0], [10, 0]], [[5, 5], [5, 15]]]);
    const d = tracingDistance(a, b, 2);
    // A→B: 11 samples at 0. B→A: 11 at 0 and 11 at 5, 6, …, 15 (mean 10).
    expect(d.aToB).toEqual({ points: 11, meanDistance: 0, meanFarDistance: 0, farFraction: 0 });
    expect(d.bToA.points).toBe(22);
    expect(d.bToA.meanFarDistance).toBeCloseTo(10, 12);
    expect(d.sd).toBeCloseTo(2.5, 12);
    expect(d.ssd).toBeCloseTo(5, 12);
    expect(d.pctSsd).toBeCloseTo(0.25, 12);
  });

  it('finds the nearest segment far outside the other tracing’s extent', () => {
    const d = directedDistance(polylineSegments([[[1000, 0], [1000, 0.2]]]), polylineSegments([[[0, 0], [1, 0]]]), 2);
    expect(d.meanDistance).toBeCloseTo(999, 3);
  });
});
