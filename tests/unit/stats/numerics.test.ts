/** The numerical building blocks of shared/stats against independent values. */
import erfc from '@stdlib/math-base-special-erfc';
import { describe, expect, it } from 'vitest';
import { pnorm, pnormUpper } from '../../../shared/stats/distributions';
import { chebyshev, findRoot, integrate } from '../../../shared/stats/quadrature';
import { compareGroups, StatsInputError } from '../../../shared/stats/analyze';

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
