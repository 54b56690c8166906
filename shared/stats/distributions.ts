/**
 * Distribution functions for p values and critical values. The special functions (incomplete beta and gamma, erfc and
 * their inverses) come from stdlib (ports of Boost/Cephes, ~1e-15 relative); simple-statistics is not precise enough
 * in the tails for p values. Every p value here is computed on its own tail, never as 1 − (lower tail).
 */
import betainc from '@stdlib/math-base-special-betainc';
import betaincinv from '@stdlib/math-base-special-betaincinv';
import erfc from '@stdlib/math-base-special-erfc';
import erfcinv from '@stdlib/math-base-special-erfcinv';
import gammainc from '@stdlib/math-base-special-gammainc';
import gammaln from '@stdlib/math-base-special-gammaln';

export { gammaln as lgamma };

const SQRT1_2PI = 0.3989422804014327;

/** Standard normal density. */
export const dnorm = (x: number): number => SQRT1_2PI * Math.exp(-0.5 * x * x);

/*
 * Φ is evaluated hundreds of thousands of times inside the studentized-range and multivariate-t integrals, where
 * erfc (~0.7 µs) dominates. For |x| ≤ 10 it is therefore read from a table of Φ at nodes x_j (spacing 1/32) plus the
 * exact Taylor expansion of the increment, using exp(−at − t²/2) = Σ He_m(−a) t^m/m! (Hermite generating function):
 *   Φ(x_j + d) = Φ(x_j) + φ(x_j) Σ_m He_m(−x_j) d^{m+1}/(m+1)!,  |d| ≤ 1/64,
 * which with 14 terms agrees with erfc to ~1e-15 relative. Only x ≤ 0 is tabulated; Φ(x) = 1 − Φ(−x) for x > 0.
 */
const STEP = 1 / 32;
const LIMIT = 10;
const TERMS = 14;
const NODES = Math.round(LIMIT / STEP) + 1;
const TABLE = (() => {
  const t = new Float64Array(NODES * (TERMS + 1));
  for (let j = 0; j < NODES; j++) {
    const x = -j * STEP;
    t[j * (TERMS + 1)] = 0.5 * erfc(-x * Math.SQRT1_2);
    const phi = SQRT1_2PI * Math.exp(-0.5 * x * x);
    // He_0 = 1, He_1(y) = y, He_{m+1}(y) = y He_m(y) − m He_{m−1}(y), at y = −x; scaled by φ(x_j)/(m+1)!.
    let hePrev = 1;
    let he = -x;
    let fact = 1;
    for (let m = 0; m < TERMS; m++) {
      const h = m === 0 ? 1 : he;
      fact *= m + 1;
      t[j * (TERMS + 1) + 1 + m] = (phi * h) / fact;
      if (m >= 1) {
        const next = -x * he - m * hePrev;
        hePrev = he;
        he = next;
      }
    }
  }
  return t;
})();

/** Φ(x) for x ≤ 0. */
function lowerTail(x: number): number {
  if (x < -LIMIT) return 0.5 * erfc(-x * Math.SQRT1_2);
  const j = Math.round(-x / STEP);
  const d = x + j * STEP;
  const base = j * (TERMS + 1);
  let s = 0;
  for (let m = TERMS; m >= 1; m--) s = (s + TABLE[base + m]) * d;
  return TABLE[base] + s;
}

/** Standard normal P(Z ≤ x). */
export const pnorm = (x: number): number => (x <= 0 ? lowerTail(x) : 1 - lowerTail(-x));

/** Standard normal P(Z > x). */
export const pnormUpper = (x: number): number => (x >= 0 ? lowerTail(-x) : 1 - lowerTail(x));

/** Standard normal quantile. */
export const qnorm = (p: number): number => -Math.SQRT2 * erfcinv(2 * p);

/** Two-sided p of Student's t: P(|T| ≥ |t|) with df degrees of freedom. */
export function ptTwoSided(t: number, df: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  const t2 = t * t;
  // I_x(df/2, 1/2) with x = df/(df+t²); its complement in t²/(df+t²) keeps precision for small |t|.
  return t2 < df ? betainc(t2 / (df + t2), 0.5, df / 2, true, true) : betainc(df / (df + t2), df / 2, 0.5, true, false);
}

/** Upper quantile of |T|: the t with P(|T| ≥ t) = alpha (e.g. alpha 0.05 → the 97.5 % point). */
export function qtTwoSided(alpha: number, df: number): number {
  if (df === Infinity) return qnorm(1 - alpha / 2);
  const y = betaincinv(alpha, 0.5, df / 2, true); // y = t²/(df+t²) on the upper tail
  return Math.sqrt((df * y) / (1 - y));
}

/** P(F > f) for the F distribution with (df1, df2) degrees of freedom. */
export function pfUpper(f: number, df1: number, df2: number): number {
  if (!(f > 0)) return Number.isNaN(f) ? NaN : 1;
  if (f === Infinity) return 0;
  return betainc((df1 * f) / (df1 * f + df2), df1 / 2, df2 / 2, true, true);
}

/** P(X > x) for chi-squared with df degrees of freedom. */
export function pchisqUpper(x: number, df: number): number {
  if (!(x > 0)) return Number.isNaN(x) ? NaN : 1;
  return gammainc(x / 2, df / 2, true, true);
}

/**
 * Density of S = sqrt(χ²_df / df), the scale of a t statistic's denominator; the multivariate t and the studentized
 * range are normal-theory integrals mixed over it. Also returns the interval outside which its mass is below ~1e-17.
 */
export function chiScaleDensity(df: number): { density: (s: number) => number; lo: number; hi: number } {
  const logC = Math.LN2 + (df / 2) * Math.log(df / 2) - gammaln(df / 2);
  const sd = 1 / Math.sqrt(2 * df);
  return {
    density: (s) => (s <= 0 ? (df === 1 ? Math.exp(logC) : 0) : Math.exp(logC + (df - 1) * Math.log(s) - (df * s * s) / 2)),
    lo: Math.max(0, 1 - 16 * sd),
    hi: 1 + 16 * sd,
  };
}
