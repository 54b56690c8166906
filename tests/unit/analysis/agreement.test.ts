import { describe, expect, it } from 'vitest';
import { compareDocuments } from '../../../shared/analysis/agreement';
import type { Calibration } from '../../../shared/image/types';
import type { AnnotationDocument, Branch, Neuron } from '../../../shared/model/document';

/** Hand-built tracings: every expected number below is worked out by hand in the comments. */

let nextId = 1;
function neuron(name: string, soma: [number, number], paths: Array<{ from: 'soma' | number; nodes: Array<[number, number]> }>): Neuron {
  const ids: number[] = [];
  const branches: Branch[] = paths.map((p) => ({
    id: nextId++,
    label: 'dendrite',
    parent: p.from === 'soma' ? { kind: 'soma' } : { kind: 'node', nodeId: ids[p.from] },
    nodes: p.nodes.map(([x, y]) => {
      const id = nextId++;
      ids.push(id);
      return { id, x, y, z: 0 };
    }),
  }));
  return { id: nextId++, name, color: '#ffd400', soma: { kind: 'point', x: soma[0], y: soma[1], z: 0 }, branches };
}

const doc = (neurons: Neuron[], calibration: Calibration | null = null): AnnotationDocument => ({ calibration, nextId, neurons });
const line = (dx: number, name = 'n') => neuron(name, [dx, 0], [{ from: 'soma', nodes: [[dx, 4], [dx, 24]] }]);

describe('compareDocuments: two tracings of the same neurons', () => {
  it('the same line traced 3 px to the side: every sample is 3 px off; counts agree', () => {
    const c = compareDocuments(doc([line(0)]), doc([line(3)]));
    expect(c).toMatchObject({ unit: 'px', threshold: 2, unmatchedA: [], unmatchedB: [] });
    const p = c.pairs[0];
    // Stem 4 px → 5 samples, dendrite 20 px → 21 samples; every one 3 px from the other line.
    expect(p.distance!.aToB.points).toBe(26);
    expect(p.distance).toMatchObject({ sd: 3, ssd: 3, pctSsd: 1 });
    expect(p.somaDistance).toBe(3);
    expect(p.counts.a).toEqual({ primary_dendrites: 1, branch_points: 0, tips: 1, total_length: 20, nmax: 1 });
    expect(p.counts.diff).toEqual({ primary_dendrites: 0, branch_points: 0, tips: 0, total_length: 0, nmax: 0 });
    // Above a 4 px threshold nothing is "different structure".
    expect(compareDocuments(doc([line(0)]), doc([line(3)]), { threshold: 4 }).pairs[0].distance).toMatchObject({ sd: 3, ssd: 0, pctSsd: 0 });
  });

  it('one tracer missed a 10 px branch: distances, count and Sholl differences', () => {
    const fork = (both: boolean) =>
      neuron('fork', [0, 0], [
        { from: 'soma', nodes: [[0, 5], [0, 25]] },
        { from: 1, nodes: [[10, 25]] },
        ...(both ? [{ from: 1, nodes: [[-10, 25]] as Array<[number, number]> }] : []),
      ]);
    const c = compareDocuments(doc([fork(true)]), doc([fork(false)]));
    const p = c.pairs[0];
    // A's samples: stem 6 + trunk 21 + two 10 px branches 11 + 11 = 49. Only the missed branch is off, at 0, 1, …, 10
    // px (sum 55); the 9 samples at 2 … 10 px are ≥ T (mean 6). B lies on A: 38 samples at 0.
    expect([p.distance!.aToB.points, p.distance!.bToA.points]).toEqual([49, 38]);
    expect(p.distance!.sd).toBeCloseTo(55 / 49 / 2, 12);
    expect(p.distance!.ssd).toBeCloseTo(6, 12);
    expect(p.distance!.pctSsd).toBeCloseTo(9 / 49 / 2, 12);
    expect(p.counts.a).toEqual({ primary_dendrites: 1, branch_points: 1, tips: 2, total_length: 40, nmax: 2 });
    expect(p.counts.diff).toEqual({ primary_dendrites: 0, branch_points: -1, tips: -1, total_length: -10, nmax: -1 });
    // Shells 10 … 26 px (A reaches hypot(10, 25) = 26.9): one crossing each on both, except r = 26, where A's two
    // side branches cross and B's one does.
    expect(p.sholl.radii).toEqual(Array.from({ length: 17 }, (_, k) => 10 + k));
    expect(p.sholl.a.at(-1)).toBe(2);
    expect(p.sholl.b.at(-1)).toBe(1);
    expect(p.sholl.a.slice(0, -1).every((v) => v === 1) && p.sholl.b.every((v) => v === 1)).toBe(true);
    expect(p.sholl.meanAbsDiff).toBeCloseTo(1 / 17, 12);
    expect(p.sholl.maxAbsDiff).toBe(1);
  });

  it('pairs neurons by soma position when files hold several; far ones stay unmatched', () => {
    const a = doc([line(0, 'a1'), line(100, 'a2')]);
    const b = doc([neuron('b1', [101, 2], [{ from: 'soma', nodes: [[101, 6], [101, 24]] }]), line(1, 'b2'), line(400, 'b3')]);
    const c = compareDocuments(a, b);
    expect(c.pairs.map((p) => [p.a.name, p.b.name])).toEqual([['a1', 'b2'], ['a2', 'b1']]);
    expect(c.pairs[1].somaDistance).toBeCloseTo(Math.sqrt(5), 12);
    expect(c.unmatchedB.map((n) => n.name)).toEqual(['b3']);
    // Pooled over both pairs: A→B samples 26 + 26, all 1 px off in the first pair.
    expect(c.pooled!.aToB.points).toBe(52);
  });

  it('one neuron in each file always pairs, however far apart', () => {
    expect(compareDocuments(doc([line(0)]), doc([line(400)])).pairs).toHaveLength(1);
  });

  it('calibrated tracings compare in µm; the default threshold is 2 px of the image', () => {
    const cal: Calibration = { pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm', source: 'imagej' };
    const c = compareDocuments(doc([line(0)], cal), doc([line(6)], cal));
    expect(c).toMatchObject({ unit: 'µm', threshold: 1 });
    expect(c.pairs[0].distance).toMatchObject({ sd: 3, ssd: 3, pctSsd: 1 });
    expect(c.pairs[0].counts.a.total_length).toBe(10);
    expect(() => compareDocuments(doc([line(0)], cal), doc([line(0)]))).toThrow(/calibrated/);
  });
});
