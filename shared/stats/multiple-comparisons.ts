/**
 * Post-hoc comparisons after a one-way ANOVA, both on the pooled residual variance:
 * - Dunnett's many-to-one comparisons against a control, adjusted p and simultaneous CIs from the multivariate t
 *   (R: `multcomp::glht(aov, mcp(g = "Dunnett"))`, single-step);
 * - Tukey's HSD for all pairs (R: `TukeyHSD(aov)`).
 *
 * The Dunnett statistics T_i = (ȳ_i − ȳ_0)/(σ̂√(1/n_i + 1/n_0)) are multivariate t with the one-factor correlation
 * ρ_ij = λ_iλ_j, λ_i = √(n_i/(n_i + n_0)). Conditioning on the shared control mean (Y ~ N(0,1)) and on the variance
 * estimate (s = √(χ²_ν/ν)) makes the T_i independent:
 *   P(max|T_i| ≤ c) = ∫ f_ν(s) ∫ φ(y) Π_i [Φ((cs − λ_i y)/√(1−λ_i²)) − Φ((−cs − λ_i y)/√(1−λ_i²))] dy ds,
 * a 2-D integral done here by adaptive Gauss–Legendre to ~1e-10, where R's mvtnorm uses quasi-Monte Carlo (±1e-3).
 */
import { describe, mean } from './descriptive';
import { oneWayAnova } from './anova';
import { chiScaleDensity, dnorm, pnorm, ptTwoSided, qtTwoSided } from './distributions';
import { recentCache } from './memo';
import { chebyshev, findRoot, integrate } from './quadrature';
import { studentizedRange } from './studentized-range';

export interface Comparison {
  /** Indices of the groups compared: difference = mean[a] − mean[b] (b is the control for Dunnett). */
  a: number;
  b: number;
  difference: number;
  ci_low: number;
  ci_high: number;
  /** The test statistic: t for Dunnett, q/√2-scaled t for Tukey (difference / SE). */
  t: number;
  p_adjusted: number;
  method: 'Dunnett' | 'Tukey';
}

/** Beyond this threshold P(max|Z_i| ≤ u) is 1 to double precision for any practical number of groups. */
const U_MAX = 9;

/**
 * The distribution of max_i |T_i| for Dunnett's test: `probability(c)` = P(max|T_i| ≤ c), `critical(level)` its
 * quantile. The normal-theory inner integral G(u) = P(max|Z_i| ≤ u) is computed at 64 Chebyshev points of [0, 9] and
 * interpolated (error ~1e-14), so the p values and the critical value share one set of 2-D integrations.
 */
export function dunnettDistribution(lambdas: number[], df: number): DunnettDistribution {
  // Every measure of the same neurons has the same group sizes, hence the same distribution: keep a few.
  return recent(`${df}|${lambdas.join(',')}`, () => makeDunnettDistribution(lambdas, df));
}

interface DunnettDistribution {
  probability(c: number): number;
  critical(level: number): number;
}

const recent = recentCache<DunnettDistribution>();

function makeDunnettDistribution(lambdas: number[], df: number): DunnettDistribution {
  const sig = lambdas.map((l) => Math.sqrt(1 - l * l));
  const normalTheory = (u: number) =>
    u <= 0
      ? 0
      : integrate(
          (y) => {
            let prod = dnorm(y);
            for (let i = 0; i < lambdas.length && prod > 0; i++) {
              const m = lambdas[i] * y;
              prod *= pnorm((u - m) / sig[i]) - pnorm((-u - m) / sig[i]);
            }
            return prod;
          },
          -9,
          9,
          { panels: 3, relTol: 1e-11, absTol: 1e-15 },
        );
  const g = chebyshev(normalTheory, 0, U_MAX, 64);
  const G = (u: number) => (u >= U_MAX ? 1 : u <= 0 ? 0 : Math.min(1, Math.max(0, g(u))));
  const chi = df === Infinity ? null : chiScaleDensity(df);
  const probability = (c: number): number => {
    if (c <= 0) return 0;
    if (!chi) return G(c);
    return integrate((s) => chi.density(s) * G(c * s), chi.lo, chi.hi, { panels: 4, relTol: 1e-11, absTol: 1e-15 });
  };
  const critical = (level: number): number => {
    // Bracket: the unadjusted t quantile is below it; Šidák's bound (independent comparisons) is above it, since the
    // |T_i| are positively dependent.
    const lo = qtTwoSided(1 - level, df);
    if (lambdas.length === 1) return lo;
    const hi = qtTwoSided(1 - Math.pow(level, 1 / lambdas.length), df) * (1 + 1e-9);
    return findRoot((c) => probability(c) - level, lo, hi, 1e-10);
  };
  return { probability, critical };
}

export function dunnett(groups: ArrayLike<number>[], control: number, level = 0.95): Comparison[] {
  const { mse, df_within: df } = oneWayAnova(groups);
  const n0 = groups[control].length;
  const m0 = mean(groups[control]);
  const others = groups.map((_, i) => i).filter((i) => i !== control);
  const lambdas = others.map((i) => Math.sqrt(groups[i].length / (groups[i].length + n0)));
  const dist = dunnettDistribution(lambdas, df);
  const crit = dist.critical(level);
  return others.map((i) => {
    const difference = mean(groups[i]) - m0;
    const se = Math.sqrt(mse * (1 / groups[i].length + 1 / n0));
    const t = difference / se;
    // Only one comparison: the multivariate t is the univariate t, whose tail is exact.
    const p = others.length === 1 ? ptTwoSided(t, df) : Math.min(1, Math.max(0, 1 - dist.probability(Math.abs(t))));
    return { a: i, b: control, difference, ci_low: difference - crit * se, ci_high: difference + crit * se, t, p_adjusted: p, method: 'Dunnett' as const };
  });
}

/** Tukey's honest significant differences for every pair (i < j), difference = mean[j] − mean[i] as R's TukeyHSD. */
export function tukeyHsd(groups: ArrayLike<number>[], level = 0.95): Comparison[] {
  const { mse, df_within: df } = oneWayAnova(groups);
  const k = groups.length;
  const range = studentizedRange(k, df);
  const qcrit = range.quantile(1 - level);
  const stats = groups.map((g) => describe(g));
  const out: Comparison[] = [];
  for (let i = 0; i < k; i++)
    for (let j = i + 1; j < k; j++) {
      const difference = stats[j].mean - stats[i].mean;
      const se = Math.sqrt((mse / 2) * (1 / stats[i].n + 1 / stats[j].n));
      const q = Math.abs(difference) / se;
      out.push({ a: j, b: i, difference, ci_low: difference - qcrit * se, ci_high: difference + qcrit * se, t: difference / (se * Math.SQRT2), p_adjusted: range.upper(q), method: 'Tukey' });
    }
  return out;
}
