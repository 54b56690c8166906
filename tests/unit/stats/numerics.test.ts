/** The numerical building blocks of shared/stats against independent values. */
import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { pnorm, pnormUpper } from '../../../shared/stats/distributions';
import { chebyshev, findRoot, integrate } from '../../../shared/stats/quadrature';
import { compareGroups, StatsInputError } from '../../../shared/stats/analyze';
import { median, selectInPlace } from '../../../shared/stats/descriptive';
import { seededRandom } from '../../../shared/random';

describe('numerics', () => {
  it('tabulated Φ agrees with erfc to 1e-13 relative in both tails over [-12, 12]', () => {
    let worst = 0;
    for (let i = 0; i <= 24000; i++) {
      const x = -12 + i * 0.001 + 0.000123;
      const lo = 0.5 * erfc(-x * Math.SQRT1_2);
      const up = 0.5 * erfc(x * Math.SQRT1_2);
      worst = Math.max(worst, Math.abs(pnorm(x) - lo) / lo, Math.abs(pnormUpper(x) - up) / up);
    }
    expect(worst).toBeLessThan(1e-13);
  });

  it('Gauss–Legendre integration: ∫₀^π sin = 2, ∫ φ over ℝ = 1, to 1e-13', () => {
    expect(Math.abs(integrate(Math.sin, 0, Math.PI) - 2)).toBeLessThan(1e-13);
    expect(Math.abs(integrate((x) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI), -40, 40, { panels: 16 }) - 1)).toBeLessThan(1e-13);
  });

  it('Chebyshev interpolation of exp on [0, 3] and a root of cos', () => {
    const f = chebyshev(Math.exp, 0, 3, 30);
    for (const x of [0, 0.37, 1.5, 2.99]) expect(Math.abs(f(x) - Math.exp(x)) / Math.exp(x)).toBeLessThan(1e-13);
    expect(Math.abs(findRoot(Math.cos, 1, 2) - Math.PI / 2)).toBeLessThan(1e-12);
  });
});

describe('compareGroups input errors', () => {
  it('names a group with fewer than 2 values and lists the groups for an unknown control', () => {
    const g = [{ name: 'veh', values: [1, 2, 3] }, { name: 'drug', values: [4] }, { name: 'ket', values: [2, 5] }];
    expect(() => compareGroups(g)).toThrow(new StatsInputError('group with fewer than 2 values: drug (n=1)'));
    g[1].values.push(6);
    expect(() => compareGroups(g, { control: 'VEH' })).toThrow("unknown control 'VEH'; groups are: veh, drug, ket");
    expect(() => compareGroups([g[0]])).toThrow('need at least 2 groups');
  });
});

describe('median and selection', () => {
  it('median equals the middle of the sorted values (the mean of the two middle ones for an even count), with ties and NaN', () => {
    const rand = seededRandom(11);
    for (let trial = 0; trial < 2000; trial++) {
      const n = 1 + Math.floor(rand() * 60);
      const xs = Array.from({ length: n }, () => (rand() < 0.3 ? Math.round(rand() * 4) : rand() * 100 - 50));
      const s = [...xs].sort((a, b) => a - b);
      const want = n % 2 ? s[n >> 1] : (s[(n >> 1) - 1] + s[n >> 1]) / 2;
      expect(median(xs)).toBe(want);
    }
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 5, 5, 1])).toBe(5);
    // NaN sorts last, as Float64Array's sort places it.
    expect(median([NaN, 1, 2])).toBe(2);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('selectInPlace puts at k what a sort puts there, nothing smaller after it nor larger before it', () => {
    const rand = seededRandom(12);
    for (let trial = 0; trial < 2000; trial++) {
      const n = 1 + Math.floor(rand() * 300);
      const values = Float32Array.from({ length: n }, () => (rand() < 0.5 ? Math.round(rand() * 8) : rand() * 1000));
      const sorted = Float32Array.from(values).sort();
      const k = Math.floor(rand() * n);
      selectInPlace(values, k, 0, n - 1);
      expect(values[k]).toBe(sorted[k]);
      for (let i = 0; i < n; i++) expect(i < k ? values[i] <= values[k] : values[i] >= values[k]).toBe(true);
      expect(Float32Array.from(values).sort()).toEqual(sorted);
    }
  });
});
