/** Text and CSV renderings of a group comparison (the JSON is the result object itself). */
import type { GroupComparison } from './analyze';
import type { MixedModelResult } from './mixed-model';

/** p as journals print it: 4 significant digits, '< 0.0001' below. */
export const formatP = (p: number): string => (p < 1e-4 ? '< 0.0001' : p.toPrecision(4).replace(/\.?0+$/, ''));
/** A number for reading: `d` significant digits, trailing zeros dropped; '—' when missing or not finite (report, Results view). */
export const formatNumber = (x: number | null | undefined, d = 4): string => (x === null || x === undefined || !Number.isFinite(x) ? '—' : Number(x.toPrecision(d)).toString());
const num = (x: number | null, digits = 4) => (x === null || !Number.isFinite(x) ? '' : Number(x.toPrecision(digits)).toString());

/** Long table: test, group, control, statistic, value — one number per row, full precision. */
export function comparisonCsvRows(r: GroupComparison, mixed?: MixedModelResult | null): (string | number)[][] {
  const rows: (string | number)[][] = [];
  for (const g of r.groups) for (const k of ['n', 'mean', 'sd', 'sem'] as const) rows.push(['summary', g.name, '', k, g[k]]);
  if (r.kind === 'groups') {
    for (const [k, v] of Object.entries(r.anova)) rows.push(['anova', '', '', k, v]);
    rows.push(['anova', '', '', 'eta_squared', r.effect_size.eta_squared]);
    for (const c of [...r.comparisons, ...r.dunn])
      for (const k of ['difference', 'ci_low', 'ci_high', 'p_adjusted'] as const) if (c[k] !== null) rows.push([c.method, c.group, c.control, k, c[k] as number]);
    for (const [k, v] of Object.entries(r.kruskal)) rows.push(['kruskal_wallis', '', '', k, v]);
  } else {
    const test = r.t_test.welch ? 'welch_t' : 'student_t';
    for (const k of ['t', 'df', 'p', 'difference', 'ci_low', 'ci_high'] as const) rows.push([test, r.groups[1].name, r.groups[0].name, k, r.t_test[k]]);
    rows.push(['mann_whitney', r.groups[1].name, r.groups[0].name, 'U', r.mann_whitney.U]);
    rows.push(['mann_whitney', r.groups[1].name, r.groups[0].name, 'p', r.mann_whitney.p]);
    rows.push(['hedges_g', r.groups[1].name, r.groups[0].name, 'g', r.effect_size.hedges_g]);
  }
  for (const n of r.notes.normality) if (n.W !== null) rows.push(['shapiro_wilk', n.group, '', 'W', n.W], ['shapiro_wilk', n.group, '', 'p', n.p as number]);
  if (r.notes.brown_forsythe) for (const [k, v] of Object.entries(r.notes.brown_forsythe)) rows.push(['brown_forsythe', '', '', k, v]);
  if (mixed)
    mixed.terms.forEach((t, i) => {
      for (const [k, v] of [['estimate', mixed.estimate[i]], ['se', mixed.se[i]], ['t', mixed.t[i]], ['df', mixed.df[i]], ['p', mixed.p[i]]] as const) rows.push(['mixed_model', t, '', k, v]);
    });
  return rows;
}

/** A few readable lines for the terminal. */
export function comparisonText(r: GroupComparison, value: string, mixed?: MixedModelResult | null): string {
  const lines = [`${value} by group:`];
  for (const g of r.groups) lines.push(`  ${g.name}: n=${g.n}  mean=${num(g.mean, 5)}  SD=${num(g.sd)}  SEM=${num(g.sem)}`);
  if (r.kind === 'groups') {
    lines.push(`One-way ANOVA: F(${r.anova.df_between}, ${r.anova.df_within}) = ${num(r.anova.F)}, p = ${formatP(r.anova.p)}, η² = ${num(r.effect_size.eta_squared, 3)}`);
    for (const c of r.comparisons)
      lines.push(`  ${c.method}: ${c.group} − ${c.control} = ${num(c.difference)} [${num(c.ci_low)}, ${num(c.ci_high)}], adjusted p = ${formatP(c.p_adjusted)}`);
    lines.push(`Kruskal–Wallis: H(${r.kruskal.df}) = ${num(r.kruskal.H)}, p = ${formatP(r.kruskal.p)}`);
    for (const c of r.dunn) lines.push(`  Dunn (Holm): ${c.group} vs ${c.control}, adjusted p = ${formatP(c.p_adjusted)}`);
  } else {
    const [a, b] = r.groups;
    lines.push(
      `${r.t_test.welch ? "Welch's" : "Student's"} t test (${b.name} − ${a.name}): t(${num(r.t_test.df)}) = ${num(r.t_test.t)}, p = ${formatP(r.t_test.p)}, difference ${num(r.t_test.difference)} [${num(r.t_test.ci_low)}, ${num(r.t_test.ci_high)}], Hedges' g = ${num(r.effect_size.hedges_g, 3)}`,
    );
    lines.push(`Mann–Whitney U = ${r.mann_whitney.U}, p = ${formatP(r.mann_whitney.p)} (${r.mann_whitney.method === 'exact' ? 'exact' : 'normal approximation with continuity correction'})`);
  }
  const sw = r.notes.normality.filter((n) => n.p !== null).map((n) => `${n.group} W=${num(n.W, 3)} p=${formatP(n.p as number)}`);
  if (sw.length) lines.push(`Shapiro–Wilk: ${sw.join('; ')}`);
  if (r.notes.brown_forsythe) lines.push(`Brown–Forsythe: F(${r.notes.brown_forsythe.df1}, ${r.notes.brown_forsythe.df2}) = ${num(r.notes.brown_forsythe.F)}, p = ${formatP(r.notes.brown_forsythe.p)}`);
  if (mixed) {
    lines.push(`Mixed model (random intercept per cluster, REML; ${mixed.clusters} clusters, SD ${num(mixed.sd_cluster)}, residual SD ${num(mixed.sd_residual)}):`);
    mixed.terms.forEach((t, i) => lines.push(`  ${t}: ${num(mixed.estimate[i])} ± ${num(mixed.se[i])}, t(${num(mixed.df[i])}) = ${num(mixed.t[i])}, p = ${formatP(mixed.p[i])}`));
  }
  return lines.join('\n') + '\n';
}
