import { describe, expect, it } from 'vitest';
import { compareSholl, ndfTree, retrace, syntheticSets, type ShollComparison } from './retrace';

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
    for (const set of sets.slice(1)) {
      for (const r of retrace(set.tp, set.truth)) {
        after.push(compareSholl(r.truth, r.traces.centreline));
        before.push(compareSholl(r.truth, r.traces.pixel));
      }
    }
    expect(after.length).toBe(20);
    const t = totals(after);
    expect(t.errorPct).toBeLessThanOrEqual(2);
    expect(t.offPct).toBeLessThanOrEqual(1);
    // Residual Nmax misses are branch points within ~0.3 px of the Nmax circle, where a child leaving along the
    // circle honestly counts 1 or 2 differently (see docs/data-dictionary.md).
    for (const c of after) expect(Math.abs(c.nmax - c.truthNmax)).toBeLessThanOrEqual(2);
    const wrong = (rows: ShollComparison[]) => rows.filter((c) => c.nmax !== c.truthNmax).length;
    expect(wrong(after)).toBeLessThanOrEqual(3);
    expect(wrong(after)).toBeLessThan(wrong(before));
    expect(t.errorPct).toBeLessThan(totals(before).errorPct / 4);
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
