import { describe, mean, rank, sumSquares, tieSum } from './descriptive';
import { lgamma, pnorm, pnormUpper, ptTwoSided, qtTwoSided } from './distributions';

export interface TTestResult {
  t: number;
  df: number;
  p: number;
  welch: boolean;
  /** Difference of means (first − second) and its 95 % confidence interval. */
  difference: number;
  ci_low: number;
  ci_high: number;
}

/** Two-sample t test, Welch's by default (R: `t.test(x, y, var.equal = !welch)`). */
export function tTest(x: ArrayLike<number>, y: ArrayLike<number>, welch = true): TTestResult {
  const a = describe(x);
  const b = describe(y);
  const difference = a.mean - b.mean;
  let se: number;
  let df: number;
  if (welch) {
    const va = (a.sd * a.sd) / a.n;
    const vb = (b.sd * b.sd) / b.n;
    se = Math.sqrt(va + vb);
    df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  } else {
    df = a.n + b.n - 2;
    const pooled = (sumSquares(x) + sumSquares(y)) / df;
    se = Math.sqrt(pooled * (1 / a.n + 1 / b.n));
  }
  const t = difference / se;
  const q = qtTwoSided(0.05, df);
  return { t, df, p: ptTwoSided(t, df), welch, difference, ci_low: difference - q * se, ci_high: difference + q * se };
}

/**
 * Hedges' g: the standardized mean difference (first − second) over the pooled SD, with the exact small-sample
 * correction J = Γ(ν/2) / (√(ν/2) Γ((ν−1)/2)), ν = n₁ + n₂ − 2 (Hedges 1981).
 */
export function hedgesG(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const df = x.length + y.length - 2;
  const pooledSd = Math.sqrt((sumSquares(x) + sumSquares(y)) / df);
  const j = Math.exp(lgamma(df / 2) - lgamma((df - 1) / 2)) / Math.sqrt(df / 2);
  return ((mean(x) - mean(y)) / pooledSd) * j;
}

export interface MannWhitneyResult {
  /** R's W: the rank sum of the first group minus n₁(n₁+1)/2. */
  U: number;
  p: number;
  /** 'exact' (no ties, both n < 50) or 'normal' (with continuity and ties correction) — R's wilcox.test choice. */
  method: 'exact' | 'normal';
}

/** Number of arrangements giving each value of U for sizes m, n: coefficients of the Gaussian binomial [m+n, m]_q. */
function uFrequencies(m: number, n: number): Float64Array {
  const max = m * n;
  const c = new Float64Array(max + 1);
  c[0] = 1;
  // Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i): multiply by the numerator, then divide by the denominator (exact in series).
  for (let i = 1; i <= m; i++) {
    const up = n + i;
    for (let k = max; k >= up; k--) c[k] -= c[k - up];
    for (let k = i; k <= max; k++) c[k] += c[k - i];
  }
  return c;
}

/** Mann–Whitney U test, two-sided, as R's `wilcox.test(x, y)` (exact when it is exact, else the normal approximation). */
export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitneyResult {
  const m = x.length;
  const n = y.length;
  const { ranks, ties } = rank([...Array.from(x), ...Array.from(y)]);
  let r1 = 0;
  for (let i = 0; i < m; i++) r1 += ranks[i];
  const U = r1 - (m * (m + 1)) / 2;
  if (m < 50 && n < 50 && ties.length === 0) {
    const freq = uFrequencies(m, n);
    let total = 0;
    for (const f of freq) total += f;
    // Each tail is summed on its own so a small p keeps its precision.
    const tail = (from: number, to: number) => {
      let s = 0;
      for (let k = from; k <= to; k++) s += freq[k];
      return s / total;
    };
    const p = U > (m * n) / 2 ? tail(U, m * n) : tail(0, U);
    return { U, p: Math.min(1, 2 * p), method: 'exact' };
  }
  const z0 = U - (m * n) / 2;
  const sigma = Math.sqrt(((m * n) / 12) * (m + n + 1 - tieSum(ties) / ((m + n) * (m + n - 1))));
  const z = (z0 - Math.sign(z0) * 0.5) / sigma;
  return { U, p: Math.min(1, 2 * Math.min(pnorm(z), pnormUpper(z))), method: 'normal' };
}
