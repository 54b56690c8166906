import { describe, expect, it } from 'vitest';
import { branchPointOffsets, compareSholl, ndfTree, retrace, syntheticSets, type ShollComparison } from './retrace';

// Issue 14: Sholl counts of re-traced neurons against their known centre lines. Truth profiles come from the
// generator's centre lines (independent of tracing); the traced ones from the nodes the app stores.

function totals(rows: ShollComparison[]) {
  const sum = (f: (c: ShollComparison) => number) => rows.reduce((s, c) => s + f(c), 0);
  return { errorPct: (100 * sum((c) => c.absError)) / sum((c) => c.truthSum), offPct: (100 * sum((c) => c.offByMoreThanOne)) / sum((c) => c.radii) };
}

describe('Sholl profiles of re-traced synthetic neurons (a click every ~60 px, snapping on)', () => {
  const sets = syntheticSets();

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

  it('five more seeds (20 neurons): Σ|ΔN| ≤ 2 %, ≤ 1 % of radii more than 1 off, Nmax within 2 and better than before', () => {
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
    // Residual Nmax misses (3 of 20), each decided at one radius by a branch point within 0.55 px of that circle:
    // - seed 2 neuron 2 (truth 10 at 57 µm, 8 at 56 and 58 µm) and seed 5 neuron 1 (truth 8 at 53 µm, 6 and 5 at 52
    //   and 54 µm) are touches of the truth itself: the generator moves a child's first sample to the nearest parent
    //   node (alignBranchPoints), so the child's first true edge is a kink of ~0.6 px inside the parent's tube that
    //   dips 0.001 px and 0.26 px inside the circle and out again (+2 crossings); no image-based trace can see it;
    // - seed 4 neuron 3 (truth 15 at 54 µm, traced 16): the true branch point lies 0.053 px outside the circle, the
    //   traced one, still pulled 0.12 px towards the child, 0.055 px inside.
    for (const c of after) expect(Math.abs(c.nmax - c.truthNmax)).toBeLessThanOrEqual(2);
    const wrong = (rows: ShollComparison[]) => rows.filter((c) => c.nmax !== c.truthNmax);
    expect(wrong(after).length).toBeLessThanOrEqual(3);
    expect(wrong(after).filter((c) => !c.truthNmaxIsolated).length).toBeLessThanOrEqual(1);
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
