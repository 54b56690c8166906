import { mean, median, sumSquares } from './descriptive';
import { pfUpper } from './distributions';

export interface AnovaResult {
  F: number;
  df_between: number;
  df_within: number;
  p: number;
  /** Pooled within-group variance (the residual mean square), reused by the post-hoc tests. */
  mse: number;
  /** η² = SS_between / SS_total. */
  eta_squared: number;
}

/** One-way ANOVA (R: `anova(lm(y ~ g))`). */
export function oneWayAnova(groups: ArrayLike<number>[]): AnovaResult {
  const all = groups.flatMap((g) => Array.from(g));
  const grand = mean(all);
  let ssb = 0;
  let ssw = 0;
  for (const g of groups) {
    const m = mean(g);
    ssb += g.length * (m - grand) ** 2;
    ssw += sumSquares(g, m);
  }
  const dfb = groups.length - 1;
  const dfw = all.length - groups.length;
  const F = ssb / dfb / (ssw / dfw);
  return { F, df_between: dfb, df_within: dfw, p: pfUpper(F, dfb, dfw), mse: ssw / dfw, eta_squared: ssb / (ssb + ssw) };
}

/**
 * Brown–Forsythe test of equal variances: the ANOVA of absolute deviations from each group's median
 * (R: `car::leveneTest(y ~ g, center = median)`).
 */
export function brownForsythe(groups: ArrayLike<number>[]): { F: number; df1: number; df2: number; p: number } {
  const dev = groups.map((g) => {
    const med = median(g);
    return Array.from(g, (x) => Math.abs(x - med));
  });
  const a = oneWayAnova(dev);
  return { F: a.F, df1: a.df_between, df2: a.df_within, p: a.p };
}
