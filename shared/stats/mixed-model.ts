/**
 * Linear mixed model with one random intercept per cluster (culture, well, coverslip), fitted by REML:
 *   y = Xβ + b_cluster + ε,  b ~ N(0, σ_b²), ε ~ N(0, σ²)   (lme4: `lmer(y ~ group + (1 | cluster))`).
 * With θ = σ_b²/σ² the covariance is σ²V, V block-diagonal with blocks I + θJ, whose inverse and determinant are closed
 * form (I − θ/(1+θn_j)·J, 1+θn_j), so the REML criterion profiled over σ² is a function of θ alone, minimised in 1-D.
 * Denominator degrees of freedom by Satterthwaite's approximation (as lmerTest), from a numerical Hessian of the
 * REML deviance in (σ_b², σ²).
 */
import { ptTwoSided } from './distributions';
import { cholesky, cholInverse, cholLogDet, cholSolve, type Matrix } from './linear-algebra';

export interface MixedModelResult {
  terms: string[];
  estimate: number[];
  se: number[];
  t: number[];
  df: number[];
  p: number[];
  sd_cluster: number;
  sd_residual: number;
  /** −2 × restricted log-likelihood at the optimum (lme4's REMLcrit). */
  reml_criterion: number;
  clusters: number;
}

interface ClusterSums {
  n: number;
  xtx: Matrix;
  xty: number[];
  yty: number;
  sx: number[];
  sy: number;
}

/**
 * Fits the model for observations in `groups` (group index per observation, `reference` as the intercept) and cluster
 * labels `clusters`. Fixed effects: intercept (the reference group's mean) and one difference per other group.
 */
export function fitRandomIntercept(y: number[], groupOf: number[], groupNames: string[], reference: number, clusterOf: string[]): MixedModelResult {
  const others = groupNames.map((_, i) => i).filter((i) => i !== reference);
  const p = others.length + 1;
  const N = y.length;
  const row = (i: number) => [1, ...others.map((g) => (groupOf[i] === g ? 1 : 0))];
  const byCluster = new Map<string, number[]>();
  clusterOf.forEach((c, i) => byCluster.set(c, [...(byCluster.get(c) ?? []), i]));
  const sums: ClusterSums[] = [...byCluster.values()].map((idx) => {
    const xtx = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const xty = new Array<number>(p).fill(0);
    const sx = new Array<number>(p).fill(0);
    let yty = 0;
    let sy = 0;
    for (const i of idx) {
      const x = row(i);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) xtx[a][b] += x[a] * x[b];
        xty[a] += x[a] * y[i];
        sx[a] += x[a];
      }
      yty += y[i] * y[i];
      sy += y[i];
    }
    return { n: idx.length, xtx, xty, yty, sx, sy };
  });

  /** X'V⁻¹X, X'V⁻¹y, y'V⁻¹y and log|V| for the ratio θ. */
  const normal = (theta: number) => {
    const m = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    const v = new Array<number>(p).fill(0);
    let q = 0;
    let logDetV = 0;
    for (const c of sums) {
      const w = theta / (1 + theta * c.n);
      for (let a = 0; a < p; a++) {
        for (let b = 0; b < p; b++) m[a][b] += c.xtx[a][b] - w * c.sx[a] * c.sx[b];
        v[a] += c.xty[a] - w * c.sx[a] * c.sy;
      }
      q += c.yty - w * c.sy * c.sy;
      logDetV += Math.log1p(theta * c.n);
    }
    const l = cholesky(m);
    const beta = cholSolve(l, v);
    const rss = q - beta.reduce((s, b, a) => s + b * v[a], 0);
    return { l, beta, rss, logDetV };
  };
  /** −2 log REML likelihood in (σ_b², σ²), constants as lme4. */
  const deviance = (sb2: number, s2: number) => {
    const { l, rss, logDetV } = normal(sb2 / s2);
    return N * Math.log(s2) + logDetV + cholLogDet(l) - p * Math.log(s2) + rss / s2 + (N - p) * Math.log(2 * Math.PI);
  };
  const profiled = (theta: number) => {
    const { l, rss, logDetV } = normal(theta);
    const s2 = rss / (N - p);
    return { value: (N - p) * Math.log(s2) + logDetV + cholLogDet(l) + (N - p) * (1 + Math.log(2 * Math.PI)), s2 };
  };

  // θ = ρ², ρ = σ_b/σ (lme4's parameter): a coarse scan, then golden-section search around the best point.
  const grid = [0, ...Array.from({ length: 121 }, (_, i) => Math.pow(10, -3 + i * 0.05))];
  const f = (rho: number) => profiled(rho * rho).value;
  let best = 0;
  grid.forEach((r, i) => f(r) < f(grid[best]) && (best = i));
  let lo = grid[Math.max(0, best - 1)];
  let hi = grid[Math.min(grid.length - 1, best + 1)];
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - g * (hi - lo);
  let x2 = lo + g * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  while (hi - lo > 1e-12 * Math.max(1, hi)) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = f(x2);
    }
  }
  let rho = (lo + hi) / 2;
  if (f(0) <= f(rho)) rho = 0;
  const theta = rho * rho;
  const fit = profiled(theta);
  const s2 = fit.s2;
  const sb2 = theta * s2;
  const { l, beta } = normal(theta);
  const cov = cholInverse(l).map((r) => r.map((x) => x * s2));

  // Satterthwaite: df_k = 2 v_k² / (∇v_kᵀ A ∇v_k), v_k = Var(β̂_k)(σ_b², σ²), A = 2 H⁻¹ of the REML deviance.
  const varBeta = (a: number, b: number) => {
    const inv = cholInverse(normal(a / b).l);
    return inv.map((r, k) => r[k] * b);
  };
  const phi = [sb2, s2];
  const h = phi.map((x) => Math.max(x, 1e-8 * s2) * 1e-4);
  const dev = (d0: number, d1: number) => deviance(phi[0] + d0, phi[1] + d1);
  const H00 = (dev(h[0], 0) - 2 * dev(0, 0) + dev(-h[0], 0)) / (h[0] * h[0]);
  const H11 = (dev(0, h[1]) - 2 * dev(0, 0) + dev(0, -h[1])) / (h[1] * h[1]);
  const H01 = (dev(h[0], h[1]) - dev(h[0], -h[1]) - dev(-h[0], h[1]) + dev(-h[0], -h[1])) / (4 * h[0] * h[1]);
  const det = H00 * H11 - H01 * H01;
  const A = [
    [(2 * H11) / det, (-2 * H01) / det],
    [(-2 * H01) / det, (2 * H00) / det],
  ];
  const vp0 = varBeta(phi[0] + h[0], phi[1]);
  const vm0 = varBeta(phi[0] - h[0], phi[1]);
  const vp1 = varBeta(phi[0], phi[1] + h[1]);
  const vm1 = varBeta(phi[0], phi[1] - h[1]);
  const se = beta.map((_, k) => Math.sqrt(cov[k][k]));
  const df = beta.map((_, k) => {
    const g0 = (vp0[k] - vm0[k]) / (2 * h[0]);
    const g1 = (vp1[k] - vm1[k]) / (2 * h[1]);
    const denom = g0 * g0 * A[0][0] + 2 * g0 * g1 * A[0][1] + g1 * g1 * A[1][1];
    // At the boundary (σ_b² = 0) the curvature is not that of an interior optimum: fall back to the residual df.
    return theta === 0 || !(denom > 0) ? N - p : (2 * cov[k][k] * cov[k][k]) / denom;
  });
  const t = beta.map((b, k) => b / se[k]);
  return {
    terms: ['(Intercept)', ...others.map((i) => groupNames[i])],
    estimate: beta,
    se,
    t,
    df,
    p: t.map((tk, k) => ptTwoSided(tk, df[k])),
    sd_cluster: Math.sqrt(sb2),
    sd_residual: Math.sqrt(s2),
    reml_criterion: fit.value,
    clusters: sums.length,
  };
}
