import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { measureNeuron, scaleOf } from '../../../shared/analysis';
import { branchPointOffsets, compareSholl, ndfTree, retrace, syntheticSets, type ShollComparison } from './retrace';

// Issue 14: Sholl counts of re-traced neurons against their known centre lines. Truth profiles come from the
// generator's centre lines (independent of tracing); the traced ones from the nodes the app stores.

function totals(rows: ShollComparison[]) {
  const sum = (f: (c: ShollComparison) => number) => rows.reduce((s, c) => s + f(c), 0);
  return { errorPct: (100 * sum((c) => c.absError)) / sum((c) => c.truthSum), offPct: (100 * sum((c) => c.offByMoreThanOne)) / sum((c) => c.radii) };
}

describe('Sholl profiles of re-traced synthetic neurons (a click every ~60 px, snapping on)', () => {
  const sets = syntheticSets();

  it('the sample\'s true profiles: the same crossings as an independent solver (tests/reference/sample-sholl)', () => {
    // truth-sholl.py solves every edge–circle intersection directly; its figures are committed beside it.
    const ref = JSON.parse(readFileSync(new URL('../../reference/sample-sholl/truth-sholl.json', import.meta.url), 'utf8')) as { neurons: Array<{ nmax: number; nmaxRadius: number; radii: number[]; crossings: number[] }> };
    const truth = sets[0].truth;
    expect(ref.neurons.map((n) => [n.nmax, n.nmaxRadius])).toEqual([[8, 48], [10, 57], [10, 51], [12, 44]]);
    truth.neurons.forEach((neuron, i) => {
      const r = ref.neurons[i];
      const s = measureNeuron(neuron, scaleOf(truth.calibration), { sholl: { start: r.radii[0], step: 1, end: r.radii[r.radii.length - 1] } }).sholl!;
      expect(s.profile.map((p) => p.crossings)).toEqual(r.crossings);
    });
  });

  it('bundled sample, first neuron: the pixel path\'s spike (Nmax 9 at 79 µm) is gone; Nmax 8 at 48 µm as the truth', () => {
    const [first] = retrace(sets[0].tp, sets[0].truth);
    const before = compareSholl(first.truth, first.traces.pixel);
    const after = compareSholl(first.truth, first.traces.centreline);
    expect([before.truthNmax, before.truthNmaxRadius]).toEqual([8, 48]);
    // The report, reproduced with the old storage (pixel path, Douglas–Peucker 0.5 px).
    expect([before.nmax, before.nmaxRadius]).toEqual([9, 79]);
    expect([after.nmax, after.nmaxRadius]).toEqual([8, 48]);
  });

  it('bundled sample: Nmax equals the truth on all 4 neurons; Σ|ΔN| ≤ 2 % of Σ N; ≤ 1 % of radii more than 1 off', () => {
    const rows = retrace(sets[0].tp, sets[0].truth).map((r) => compareSholl(r.truth, r.traces.centreline));
    expect(rows.map((c) => c.nmax)).toEqual(rows.map((c) => c.truthNmax));
    const t = totals(rows);
    expect(t.errorPct).toBeLessThanOrEqual(2);
    expect(t.offPct).toBeLessThanOrEqual(1);
  });

  it('five more seeds (20 neurons): Σ|ΔN| ≤ 2 %, ≤ 1 % of radii more than 1 off, Nmax equal on 19 or more, within 1 on all', () => {
    const after: ShollComparison[] = [];
    const before: ShollComparison[] = [];
    const pull = { before: [] as number[], after: [] as number[] };
    for (const set of sets.slice(1)) {
      for (const r of retrace(set.tp, set.truth)) {
        after.push(compareSholl(r.truth, r.traces.centreline));
        before.push(compareSholl(r.truth, r.traces.pixel));
        pull.after.push(...branchPointOffsets(r, 'centreline'));
        pull.before.push(...branchPointOffsets(r, 'pixel'));
      }
    }
    expect(after.length).toBe(20);
    const t = totals(after);
    expect(t.errorPct).toBeLessThanOrEqual(2);
    expect(t.offPct).toBeLessThanOrEqual(1);
    // One residual Nmax miss of 20 (23 of 24 with the sample), an honest sub-pixel tie: seed 4 neuron 3, truth 15 at
    // 54 µm (13 and 14 at 53 and 55 µm), traced 14. There the true parent crosses the circle 0.053 px before a branch
    // point and the child, leaving at ~37° on the soma's side, re-enters it within 1 px (0.88 px deep; out again 24 px
    // on): 3 crossings. The child runs merged with its parent for ~8 px, which pulls the parent's centre line 0.26 px
    // towards it, so the traced branch point lies 0.18 px inside the circle and the child starts inside: 2. That
    // margin is below the stored lines' own accuracy (0.096 px mean distance to the truth): trusting fewer samples
    // near junctions (±5 px instead of ±3) leaves the branch point 0.02 px inside and puts the child's first node
    // 0.05 px outside, and the count tips to 16 instead.
    for (const c of after) expect(Math.abs(c.nmax - c.truthNmax)).toBeLessThanOrEqual(1);
    const wrong = (rows: ShollComparison[]) => rows.filter((c) => c.nmax !== c.truthNmax);
    expect(wrong(after).length).toBeLessThanOrEqual(1);
    expect(wrong(after).length).toBeLessThan(wrong(before).length);
    expect(t.errorPct).toBeLessThan(totals(before).errorPct / 4);
    // A child's intensity pulls the parent's line towards it at branch points (0.28 px on average in pixel paths,
    // 0.26 px with a cross-section fit that trusted every sample alike, 0.14 px now).
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(pull.after.length).toBeGreaterThan(150);
    expect(mean(pull.after)).toBeLessThan(0.16);
    expect(mean(pull.after)).toBeLessThan(mean(pull.before) / 1.5);
  });
});

describe('Sholl profile of NeuronJ neurites.tif re-traced against NeuronJ\'s own tracing', () => {
  it('same Nmax as NeuronJ; Σ|ΔN| ≤ 2 % of Σ N', () => {
    const { tp, truth } = ndfTree();
    const [r] = retrace(tp, truth, 60, { mean: 2, max: 6 });
    expect(r.traced).toBe(4);
    const c = compareSholl(r.truth, r.traces.centreline, 10, 2);
    expect(c.nmax).toBe(c.truthNmax);
    expect((100 * c.absError) / c.truthSum).toBeLessThanOrEqual(2);
  });
});
