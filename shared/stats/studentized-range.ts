/**
 * The studentized range distribution (R's ptukey/qtukey), from its definition as in Copenhaver & Holland (1988):
 *   P(Q > q) = ∫₀^∞ f_ν(s) · P(R_k > q·s) ds,
 *   P(R_k > w) = k ∫ φ(z) [Φ(z)^{k−1} − (Φ(z) − Φ(z−w))^{k−1}] dz,
 * where R_k is the range of k standard normals and s = √(χ²_ν/ν). The bracket is evaluated as
 * Φ(z)^{k−1}·(1 − (1 − Φ(z−w)/Φ(z))^{k−1}) through expm1/log1p so that small upper tails keep their relative precision.
 */
import { chiScaleDensity, dnorm, pnorm } from './distributions';
import { recentCache } from './memo';
import { chebyshev, findRoot, integrate } from './quadrature';

/** P(range of k standard normals > w). */
export function rangeUpper(w: number, k: number): number {
  if (w <= 0) return 1;
  const f = (z: number) => {
    const pz = pnorm(z);
    if (pz === 0) return 0;
    const ratio = pnorm(z - w) / pz;
    return dnorm(z) * Math.pow(pz, k - 1) * -Math.expm1((k - 1) * Math.log1p(-ratio));
  };
  // The integrand lives where φ(z) is not negligible and Φ(z − w) is not yet 0.
  return k * integrate(f, -9, 9, { panels: 4, relTol: 1e-11, absTol: 0 });
}

/** Above this w the range's upper tail is below 1e-60 and counts as 0. */
const W_MAX = 24;

/**
 * The studentized range for k means and df degrees of freedom: `upper(q)` = P(Q > q), `quantile(alpha)` the q with
 * P(Q > q) = alpha. log P(R_k > w) is interpolated from 96 Chebyshev points on [0, 24] (relative error ~1e-13), so
 * the many p values of an all-pairs comparison and the critical value share one set of integrations.
 */
export function studentizedRange(k: number, df: number): StudentizedRange {
  // All pairs of every measure of the same neurons share k and df: keep a few distributions.
  return recent(`${k}|${df}`, () => makeStudentizedRange(k, df));
}

interface StudentizedRange {
  upper(q: number): number;
  quantile(alpha: number): number;
}

const recent = recentCache<StudentizedRange>();

function makeStudentizedRange(k: number, df: number): StudentizedRange {
  const logR = chebyshev((w) => Math.log(rangeUpper(w, k)), 0, W_MAX, 96);
  const R = (w: number) => (w <= 0 ? 1 : w < W_MAX ? Math.min(1, Math.exp(logR(w))) : 0);
  const chi = df === Infinity || df > 1e7 ? null : chiScaleDensity(df);
  const upper = (q: number): number => {
    if (!(q > 0)) return 1;
    if (!Number.isFinite(q)) return 0;
    if (!chi) return R(q);
    return Math.min(1, integrate((s) => chi.density(s) * R(q * s), chi.lo, chi.hi, { panels: 6, relTol: 1e-11, absTol: 1e-300 }));
  };
  const quantile = (alpha: number): number => {
    let hi = 4;
    while (upper(hi) > alpha) hi *= 2;
    return findRoot((q) => upper(q) - alpha, 0.01, hi, 1e-12);
  };
  return { upper, quantile };
}

/** The q with P(Q > q) = alpha (R: `qtukey(1 − alpha, k, df)`). */
export const qtukeyUpper = (alpha: number, k: number, df: number): number => studentizedRange(k, df).quantile(alpha);
