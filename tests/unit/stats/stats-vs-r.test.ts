/**
 * Every statistic Ramify reports, against R's values for the same data (tests/reference/stats/make-reference.R):
 * the Olson lab's per-cell spine densities (Cameron et al. 2021, Fig. 3d: five groups, vehicle as control) and
 * hand-built sets with ties, unequal n and two groups.
 */
import { describe, expect, it } from 'vitest';
import { brownForsythe, oneWayAnova } from '../../../shared/stats/anova';
import { describe as summarize } from '../../../shared/stats/descriptive';
import { fitRandomIntercept } from '../../../shared/stats/mixed-model';
import { dunnett, tukeyHsd } from '../../../shared/stats/multiple-comparisons';
import { dunnHolm, kruskalWallis } from '../../../shared/stats/rank-tests';
import { shapiroWilk } from '../../../shared/stats/shapiro-wilk';
import { qtukeyUpper } from '../../../shared/stats/studentized-range';
import { hedgesG, mannWhitney, tTest } from '../../../shared/stats/two-groups';
import { ptTwoSided } from '../../../shared/stats/distributions';
import { close, datasetNames, loadDataset, type Json } from './r-reference';

const REL = 1e-6;

function expectClose(actual: number, expected: number, rel: number, what: string, abs = 0) {
  if (!close(actual, expected, rel, abs)) throw new Error(`${what}: Ramify ${actual} vs R ${expected} (tolerance ${rel} relative${abs ? `, ${abs} absolute` : ''})`);
}

describe.each(datasetNames)('%s equals R', (name) => {
  const d = loadDataset(name);
  const values = d.groups.map((g) => g.values);
  const index = (g: string) => d.groups.findIndex((x) => x.name === g);

  it('per-group n, mean, SD, SEM and Shapiro–Wilk W and p', () => {
    d.ref.groups.forEach((r: Json, i: number) => {
      const s = summarize(values[i]);
      expect(s.n).toBe(r.n);
      expectClose(s.mean, r.mean, 1e-12, `${r.name} mean`);
      expectClose(s.sd, r.sd, 1e-12, `${r.name} sd`);
      expectClose(s.sem, r.sem, 1e-12, `${r.name} sem`);
      if (r.shapiro) {
        const sw = shapiroWilk(values[i]);
        expectClose(sw.W, r.shapiro.W, REL, `${r.name} Shapiro-Wilk W`);
        expectClose(sw.p, r.shapiro.p, REL, `${r.name} Shapiro-Wilk p`);
      }
    });
  });

  it('two-group tests: Welch and Student t, Mann–Whitney U, Hedges g', () => {
    for (const pr of d.ref.pairs) {
      const x = values[index(pr.a)];
      const y = values[index(pr.b)];
      for (const [key, welch] of [['welch', true], ['student', false]] as const) {
        const t = tTest(x, y, welch);
        expectClose(t.t, pr[key].t, REL, `${key} t`);
        expectClose(t.df, pr[key].df, REL, `${key} df`);
        expectClose(t.p, pr[key].p, REL, `${key} p`);
        expectClose(t.ci_low, pr[key].ci_low, REL, `${key} CI low`);
        expectClose(t.ci_high, pr[key].ci_high, REL, `${key} CI high`);
      }
      const mw = mannWhitney(x, y);
      expect(mw.method).toBe(pr.mann_whitney.method);
      expect(mw.U).toBe(pr.mann_whitney.U);
      expectClose(mw.p, pr.mann_whitney.p, REL, 'Mann-Whitney p');
      expectClose(hedgesG(x, y), pr.hedges_g, 1e-10, 'Hedges g');
    }
  });

  it.runIf(d.ref.anova)('one-way ANOVA F, df, p and η²; Brown–Forsythe', () => {
    const a = oneWayAnova(values);
    expectClose(a.F, d.ref.anova.F, REL, 'F');
    expect(a.df_between).toBe(d.ref.anova.df_between);
    expect(a.df_within).toBe(d.ref.anova.df_within);
    expectClose(a.p, d.ref.anova.p, REL, 'ANOVA p');
    expectClose(a.eta_squared, d.ref.anova.eta_squared, 1e-10, 'eta squared');
    const bf = brownForsythe(values);
    expectClose(bf.F, d.ref.brown_forsythe.F, REL, 'Brown-Forsythe F');
    expectClose(bf.p, d.ref.brown_forsythe.p, REL, 'Brown-Forsythe p');
  });

  it.runIf(d.ref.anova)("Dunnett vs control: differences, adjusted p (multivariate t) and simultaneous 95 % CIs", () => {
    const res = dunnett(values, index(d.ref.control));
    d.ref.dunnett.forEach((r: Json, i: number) => {
      const c = res[i];
      expect(d.groups[c.a].name).toBe(r.group);
      expectClose(c.difference, r.difference, 1e-12, `${r.group} difference`);
      expectClose(c.t, r.t, 1e-10, `${r.group} t`);
      // R's default (quasi-Monte Carlo, abseps 1e-3) and a high-precision run (abseps 1e-6).
      expect(Math.abs(c.p_adjusted - r.p_adjusted)).toBeLessThan(2e-3);
      expect(Math.abs(c.p_adjusted - r.p_adjusted_precise)).toBeLessThan(1e-5);
      // The simultaneous CI is difference ± c·SE; c from a tight root of a high-precision pmvt (QMC noise ~1e-7).
      expectClose(c.ci_low, r.ci_low_precise, 1e-6, `${r.group} CI low`, 1e-6 * r.se);
      expectClose(c.ci_high, r.ci_high_precise, 1e-6, `${r.group} CI high`, 1e-6 * r.se);
      // multcomp's own confint (qmvt, root tolerance 1e-4).
      expectClose(c.ci_low, r.ci_low, 0, `${r.group} CI low vs confint()`, 2e-3 * r.se);
    });
    const crit = (res[0].ci_high - res[0].difference) / d.ref.dunnett[0].se;
    expectClose(crit, d.ref.dunnett_critical_precise, 1e-6, 'Dunnett critical value');
  });

  it.runIf(d.ref.anova)('Tukey HSD: differences, p, CIs', () => {
    const res = tukeyHsd(values);
    expectClose(qtukeyUpper(0.05, values.length, d.ref.anova.df_within), d.ref.tukey_critical, 1e-6, 'qtukey');
    d.ref.tukey.forEach((r: Json) => {
      const c = res.find((x) => d.groups[x.a].name === r.a && d.groups[x.b].name === r.b)!;
      expectClose(c.difference, r.difference, 1e-12, `${r.a}-${r.b} difference`);
      expectClose(c.p_adjusted, r.p_adjusted, REL, `${r.a}-${r.b} p`, 1e-9);
      expectClose(c.ci_low, r.ci_low, 1e-6, `${r.a}-${r.b} CI low`);
      expectClose(c.ci_high, r.ci_high, 1e-6, `${r.a}-${r.b} CI high`);
    });
  });

  it.runIf(d.ref.anova)('Kruskal–Wallis (ties corrected) and Dunn–Holm', () => {
    const kw = kruskalWallis(values);
    expectClose(kw.H, d.ref.kruskal.H, REL, 'H');
    expect(kw.df).toBe(d.ref.kruskal.df);
    expectClose(kw.p, d.ref.kruskal.p, REL, 'KW p');
    const vsControl = dunnHolm(values, index(d.ref.control));
    d.ref.dunn_vs_control.forEach((r: Json, i: number) => {
      expect(d.groups[vsControl[i].a].name).toBe(r.a);
      expectClose(vsControl[i].z, r.z, 1e-10, `Dunn z ${r.a}`);
      expectClose(vsControl[i].p_adjusted, r.p_adjusted, REL, `Dunn-Holm p ${r.a}`);
    });
    const all = dunnHolm(values);
    d.ref.dunn_all_pairs.forEach((r: Json, i: number) => {
      expect([d.groups[all[i].a].name, d.groups[all[i].b].name]).toEqual([r.a, r.b]);
      expectClose(all[i].p_adjusted, r.p_adjusted, REL, `Dunn-Holm p ${r.a}-${r.b}`);
    });
  });

  it.runIf(d.ref.mixed)('random-intercept mixed model equals lme4 (REML) and lmerTest (Satterthwaite)', () => {
    const m = d.ref.mixed;
    const groupOf = d.rows.map((r) => index(r[d.ref.group]));
    const y = d.rows.map((r) => Number(r[d.ref.value]));
    const fit = fitRandomIntercept(y, groupOf, d.groups.map((g) => g.name), index(d.ref.control), d.rows.map((r) => r[m.cluster]));
    expect(fit.terms).toEqual(m.terms);
    expectClose(fit.reml_criterion, m.reml_criterion, 1e-9, 'REML criterion');
    expectClose(fit.sd_cluster, m.sd_cluster, 1e-4, 'SD of the culture intercepts');
    expectClose(fit.sd_residual, m.sd_residual, 1e-5, 'residual SD');
    m.estimate.forEach((e: number, k: number) => {
      expectClose(fit.estimate[k], e, 1e-6, `${m.terms[k]} estimate`);
      expectClose(fit.se[k], m.se[k], 1e-5, `${m.terms[k]} SE`);
      expectClose(fit.t[k], m.t[k], 1e-5, `${m.terms[k]} t`);
      // lmerTest takes the Hessian by numDeriv at lme4's optimum (1e-6 off in the SDs), Ramify by central
      // differences at its own: the df agree to ~2e-4, which moves a p of 1e-9 at df 7 by ~3e-3 relative.
      expectClose(fit.df[k], m.df_satterthwaite[k], 1e-3, `${m.terms[k]} Satterthwaite df`);
      expectClose(fit.p[k], m.p_satterthwaite[k], 5e-3, `${m.terms[k]} p`);
      expectClose(ptTwoSided(fit.t[k], m.df_satterthwaite[k]), m.p_satterthwaite[k], 1e-5, `${m.terms[k]} p at lmerTest's df`);
    });
  });
});
