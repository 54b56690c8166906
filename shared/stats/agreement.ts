/**
 * Agreement between raters (tracers) measuring the same subjects (neurons): the intraclass correlation ICC(2,1) and
 * Bland–Altman limits of agreement. Equal to R (tests/reference/agreement/make-reference.R: psych::ICC's ICC2 row,
 * and irr::icc's formulas written out).
 */
import betaincinv from '@stdlib/math-base-special-betaincinv';
import { pfUpper } from './distributions';

/** ICC(2,1): two-way random effects, absolute agreement, single rater (Shrout & Fleiss 1979; McGraw & Wong 1996). */
export interface IccResult {
  /** Subjects (rows with a value from every rater). */
  n: number;
  /** Raters (columns). */
  k: number;
  icc: number;
  /** 95 % (1 − alpha) confidence interval (McGraw & Wong, as irr::icc and psych::ICC). */
  ciLow: number;
  ciHigh: number;
  /** F = MSR / MSE against (n − 1, (n − 1)(k − 1)) df: the test of ICC = 0. */
  f: number;
  df1: number;
  df2: number;
  p: number;
  /** Mean squares of the two-way ANOVA: subjects (rows), raters (columns), residual. */
  msr: number;
  msc: number;
  mse: number;
}

/** Upper quantile of F(df1, df2): the f with P(F > f) = alpha; df may be fractional (Satterthwaite). */
export function qfUpper(alpha: number, df1: number, df2: number): number {
  const x = betaincinv(alpha, df1 / 2, df2 / 2, true);
  return (df2 * x) / (df1 * (1 - x));
}

/**
 * ICC(2,1) of `rows` (one array per subject, one value per rater, raters in the same order in every row). Rows with
 * a missing (non-finite) value are dropped, as irr::icc does. Null with fewer than 2 complete rows or 2 raters, or when
 * the ANOVA is degenerate (every value equal).
 */
export function icc21(rows: ReadonlyArray<ReadonlyArray<number>>, alpha = 0.05): IccResult | null {
  const data = rows.filter((r) => r.every(Number.isFinite));
  const n = data.length;
  const k = n ? data[0].length : 0;
  if (n < 2 || k < 2 || data.some((r) => r.length !== k)) return null;
  let grand = 0;
  for (const r of data) for (const v of r) grand += v;
  grand /= n * k;
  const colMeans = new Array<number>(k).fill(0);
  let ssr = 0;
  let sst = 0;
  for (const r of data) {
    let rowSum = 0;
    r.forEach((v, j) => {
      rowSum += v;
      colMeans[j] += v / n;
      sst += (v - grand) ** 2;
    });
    ssr += k * (rowSum / k - grand) ** 2;
  }
  const ssc = n * colMeans.reduce((s, m) => s + (m - grand) ** 2, 0);
  const df1 = n - 1;
  const df2 = (n - 1) * (k - 1);
  const msr = ssr / df1;
  const msc = ssc / (k - 1);
  // Rounding can leave a tiny negative residual when the raters agree exactly.
  const mse = Math.max(0, sst - ssr - ssc) / df2;
  const denom = msr + (k - 1) * mse + (k * (msc - mse)) / n;
  if (!(denom > 0)) return null;
  const icc = (msr - mse) / denom;
  const f = msr / mse;
  // McGraw & Wong's Satterthwaite df for the interval (irr::icc, model "twoway", type "agreement", unit "single").
  let ciLow = icc;
  let ciHigh = icc;
  if (mse > 0 && icc < 1) {
    const a = (k * icc) / (n * (1 - icc));
    const b = 1 + (k * icc * (n - 1)) / (n * (1 - icc));
    const v = (a * msc + b * mse) ** 2 / ((a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1)));
    const fl = qfUpper(alpha / 2, n - 1, v);
    const fu = qfUpper(alpha / 2, v, n - 1);
    const c = k * msc + (k * n - k - n) * mse;
    ciLow = (n * (msr - fl * mse)) / (fl * c + n * msr);
    ciHigh = (n * (fu * msr - mse)) / (c + n * fu * msr);
  }
  return { n, k, icc, ciLow, ciHigh, f, df1, df2, p: mse > 0 ? pfUpper(f, df1, df2) : 0, msr, msc, mse };
}

/** Bland–Altman agreement of two raters: differences b − a against means (a + b) / 2. */
export interface BlandAltman {
  n: number;
  /** Mean difference (b − a): the bias. */
  bias: number;
  /** Sample SD of the differences (n − 1); null for n < 2. */
  sd: number | null;
  /** bias ∓ 1.96 SD; null for n < 2. */
  lower: number | null;
  upper: number | null;
  /** One point per subject: x the mean of the two values, y their difference. */
  points: Array<{ mean: number; diff: number }>;
}

/** Bland & Altman (1986) limits of agreement of paired values; pairs with a non-finite value are dropped. */
export function blandAltman(a: readonly number[], b: readonly number[]): BlandAltman {
  const points: Array<{ mean: number; diff: number }> = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) points.push({ mean: (a[i] + b[i]) / 2, diff: b[i] - a[i] });
  const n = points.length;
  const bias = n ? points.reduce((s, p) => s + p.diff, 0) / n : NaN;
  if (n < 2) return { n, bias, sd: null, lower: null, upper: null, points };
  const sd = Math.sqrt(points.reduce((s, p) => s + (p.diff - bias) ** 2, 0) / (n - 1));
  return { n, bias, sd, lower: bias - 1.96 * sd, upper: bias + 1.96 * sd, points };
}
