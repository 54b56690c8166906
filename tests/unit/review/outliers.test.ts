import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFlag, mad, outlierFlags, robustZ } from '../../../shared/review/outliers';
import { median } from '../../../shared/stats/descriptive';

/** Made by tests/reference/outliers/make-reference.R with R's median() and mad(). */
const R: Record<string, { x: number[]; median: number; mad: number; z: Array<number | null> }> = JSON.parse(readFileSync(join(import.meta.dirname, '../../reference/outliers/reference.json'), 'utf8'));

describe('robust z', () => {
  it('by hand: 12 15 11 14 13 40 has median 13.5, MAD 1.4826 × 1.5, and 40 sits at z = 26.5 / 2.2239', () => {
    // |x − 13.5| = 1.5 1.5 2.5 0.5 0.5 26.5 → sorted 0.5 0.5 1.5 1.5 2.5 26.5 → median 1.5.
    const xs = [12, 15, 11, 14, 13, 40];
    expect(median(xs)).toBe(13.5);
    expect(mad(xs)).toBeCloseTo(2.2239, 12);
    expect(robustZ(40, { median: 13.5, mad: mad(xs) })).toBeCloseTo(26.5 / 2.2239, 12);
  });

  it("equals R's median(), mad() and (x − median) / mad on every reference sample", () => {
    for (const [name, s] of Object.entries(R)) {
      const m = median(s.x);
      const d = mad(s.x);
      expect(m, name).toBeCloseTo(s.median, 12);
      expect(d, name).toBeCloseTo(s.mad, 12);
      s.x.forEach((x, i) => {
        const z = robustZ(x, { median: m, mad: d });
        if (s.z[i] === null) expect(z, `${name}[${i}]`).toBeNull();
        else expect(z!, `${name}[${i}]`).toBeCloseTo(s.z[i]!, 10);
      });
    }
  });

  it('gives no z when the spread is zero (most values tied), so nothing is called far', () => {
    expect(robustZ(8, { median: 2, mad: mad([2, 2, 2, 2, 3, 8]) })).toBeNull();
    expect(mad([])).toBeNaN();
  });
});

describe('outlier flags', () => {
  const row = (group: string, tips: number, total_length_um: number | null = 300) => ({ group, values: { tips, total_length_um } });

  it("flags a neuron only against its own condition's median, naming the measure", () => {
    // VEH tips 12 15 11 14 13 40: 40 is z = 11.9. In DRUG the same 40 sits among its peers and is not flagged.
    const rows = [row('VEH', 12), row('VEH', 15), row('VEH', 11), row('VEH', 14), row('VEH', 13), row('VEH', 40), row('DRUG', 38), row('DRUG', 41), row('DRUG', 40), row('DRUG', 39), row('DRUG', 42)];
    const flags = outlierFlags(rows, [{ column: 'tips', label: 'tips' }]);
    expect(flags.map((f) => f.length)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(flags[5][0]).toMatchObject({ measure: 'tips', value: 40, median: 13.5 });
    expect(flags[5][0].z).toBeCloseTo(11.916003417419848, 10);
    expect(describeFlag(flags[5][0])).toBe('tips z = +11.9 (median 13.5)');
  });

  it('the threshold is |z| > 3, on both sides; z = 3.37 is flagged, 0.67 is not', () => {
    // R: 3 4 3 4 5 3 4 9 → median 4, MAD 1.4826, z(9) = 3.372, z(3) = −0.674.
    const even = [3, 4, 3, 4, 5, 3, 4, 9].map((t) => row('A', t));
    expect(outlierFlags(even, [{ column: 'tips', label: 'tips' }]).map((f) => f.length)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    const lengths = [312.5, 298.1, 355.0, 301.7, 287.9, 330.2, 41.3, 318.8, 305.6].map((l) => row('A', 1, l));
    const f = outlierFlags(lengths, [{ column: 'total_length_um', label: 'total length' }]);
    expect(f.map((x) => x.length)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(f[6][0].z).toBeCloseTo(-13.505144524974567, 10);
    expect(describeFlag(f[6][0])).toBe('total length z = −13.5 (median 305.6)');
  });

  it('leaves out missing values (an uncalibrated image has no length) from the median and from flagging', () => {
    const rows = [row('A', 3, null), row('A', 3, 100), row('A', 3, 102), row('A', 3, 98), row('A', 3, 101), row('A', 3, 500)];
    const f = outlierFlags(rows, [{ column: 'total_length_um', label: 'total length' }]);
    expect(f.map((x) => x.length)).toEqual([0, 0, 0, 0, 0, 1]);
    // Median of 98 100 101 102 500 is 101; MAD = 1.4826 × median(3 1 0 1 399) = 1.4826.
    expect(f[5][0].median).toBe(101);
    expect(f[5][0].z).toBeCloseTo(399 / 1.4826, 10);
  });

  it('names every key measure a neuron is far on', () => {
    const rows = [1, 2, 3, 4, 5].map((i) => ({ group: 'A', values: { primary_branches: 4 + (i % 2), tips: 10 + i, sholl_nmax: 6 + (i % 3) } }));
    rows.push({ group: 'A', values: { primary_branches: 20, tips: 60, sholl_nmax: 7 } });
    const f = outlierFlags(rows);
    expect(f[5].map((x) => x.measure)).toEqual(['primary_branches', 'tips']);
  });
});
