/**
 * The one-file HTML report of a project: methods paragraph written from the project, figures (inline SVG) and tables.
 * No scripts, no external resources; print CSS keeps figures and tables whole on PDF pages.
 */
import { dotPlotSvg, shollPlotSvg, type DotAnnotation } from '../plots/svg-plots';
import { escapeXml as esc } from '../text/xml';
import { describe } from '../stats/descriptive';
import { formatNumber, formatP } from '../stats/report-format';
import type { GroupComparison } from '../stats/analyze';
import type { MeasureResult, ResultsModel, Table } from './results-model';
import { plural } from '../text/plural';

export interface ReportContext {
  projectName: string;
  appVersion: string;
  /** ISO 8601 time the report was written. */
  generated: string;
  sholl: { start: number; step: number; end: number | null };
  /** The neurons table the model was built from (for calibrations and image counts). */
  neurons: Table;
}

const num = formatNumber;

function testSentence(c: GroupComparison, control: string | null): string {
  if (c.kind === 'two-groups') {
    const [a, b] = c.groups;
    return `${c.t_test.welch ? "Welch's" : "Student's"} t test, ${b.name} vs ${a.name}: t(${num(c.t_test.df)}) = ${num(c.t_test.t)}, p = ${formatP(c.t_test.p)}; Mann–Whitney U = ${c.mann_whitney.U}, p = ${formatP(c.mann_whitney.p)}; Hedges' g = ${num(c.effect_size.hedges_g, 3)}.`;
  }
  return `One-way ANOVA: F(${c.anova.df_between}, ${c.anova.df_within}) = ${num(c.anova.F)}, p = ${formatP(c.anova.p)}, η² = ${num(c.effect_size.eta_squared, 3)}; ${c.comparisons[0]?.method === 'Dunnett' ? `Dunnett vs ${control}` : 'Tukey HSD'}. Kruskal–Wallis H(${c.kruskal.df}) = ${num(c.kruskal.H)}, p = ${formatP(c.kruskal.p)}.`;
}

/** Labels drawn on a dot plot: Dunnett's adjusted p over each group, Tukey's/Welch's as brackets. */
export function plotAnnotations(m: MeasureResult): DotAnnotation[] {
  const c = m.comparison;
  if (!c) return [];
  const index = (name: string) => m.groups.findIndex((g) => g.name === name);
  if (c.kind === 'two-groups') return [{ group: index(c.groups[1].name), from: index(c.groups[0].name), label: `p = ${formatP(c.t_test.p)}` }];
  if (c.comparisons[0]?.method === 'Dunnett') return c.comparisons.map((r) => ({ group: index(r.group), label: `p = ${formatP(r.p_adjusted)}` }));
  return c.comparisons.filter((r) => r.p_adjusted < 0.05).map((r) => ({ group: index(r.group), from: index(r.control), label: `p = ${formatP(r.p_adjusted)}` }));
}

export function measurePlotSvg(m: MeasureResult, caption?: string): string {
  const groups = m.groups.map((g) => {
    const { mean, sem } = describe(g.values);
    return { name: g.name, values: g.values, mean, sem };
  });
  return dotPlotSvg(groups, { title: m.label, yLabel: m.label.replace(/ \(.*\)$/, '') + (m.label.match(/\((µm)\)$/) ? ' (µm)' : ''), annotations: plotAnnotations(m), caption });
}

function comparisonTable(m: MeasureResult): string {
  const c = m.comparison;
  const rows = m.groups.map((g) => {
    const s = c?.groups.find((x) => x.name === g.name);
    return `<tr><td>${esc(g.name)}</td><td>${g.values.length}</td><td>${num(s?.mean)}</td><td>${num(s?.sd)}</td><td>${num(s?.sem)}</td></tr>`;
  });
  let tests = '';
  if (c?.kind === 'groups') {
    tests = `<table class="tests"><thead><tr><th>Comparison</th><th>Difference</th><th>95 % CI</th><th>Adjusted p</th><th>Method</th></tr></thead><tbody>${[...c.comparisons, ...c.dunn]
      .map((r) => `<tr><td>${esc(r.group)} − ${esc(r.control)}</td><td>${num(r.difference)}</td><td>${r.ci_low === null ? '—' : `${num(r.ci_low)} to ${num(r.ci_high)}`}</td><td>${formatP(r.p_adjusted)}</td><td>${esc(r.method)}</td></tr>`)
      .join('')}</tbody></table>`;
  } else if (c) {
    tests = `<table class="tests"><thead><tr><th>Comparison</th><th>Difference</th><th>95 % CI</th><th>p</th><th>Method</th></tr></thead><tbody><tr><td>${esc(c.groups[1].name)} − ${esc(c.groups[0].name)}</td><td>${num(c.t_test.difference)}</td><td>${num(c.t_test.ci_low)} to ${num(c.t_test.ci_high)}</td><td>${formatP(c.t_test.p)}</td><td>${c.t_test.welch ? "Welch's t" : "Student's t"}</td></tr><tr><td>${esc(c.groups[1].name)} vs ${esc(c.groups[0].name)}</td><td>—</td><td>—</td><td>${formatP(c.mann_whitney.p)}</td><td>Mann–Whitney U (${c.mann_whitney.method === 'exact' ? 'exact' : 'normal approximation'})</td></tr></tbody></table>`;
  }
  const notes = c
    ? `<p class="notes">Shapiro–Wilk: ${c.notes.normality.map((n) => `${esc(n.group)} ${n.p === null ? '—' : `W = ${num(n.W, 3)}, p = ${formatP(n.p)}`}`).join('; ')}. Brown–Forsythe: ${c.notes.brown_forsythe ? `F(${c.notes.brown_forsythe.df1}, ${c.notes.brown_forsythe.df2}) = ${num(c.notes.brown_forsythe.F)}, p = ${formatP(c.notes.brown_forsythe.p)}` : '—'}.</p>`
    : '';
  const mixed = m.mixed
    ? `<p class="notes">Mixed model (random intercept per cluster, REML, ${m.mixed.clusters} clusters): ${m.mixed.terms
        .slice(1)
        .map((t, i) => `${esc(t)} ${num(m.mixed!.estimate[i + 1])} ± ${num(m.mixed!.se[i + 1])}, t(${num(m.mixed!.df[i + 1])}) = ${num(m.mixed!.t[i + 1])}, p = ${formatP(m.mixed!.p[i + 1])}`)
        .join('; ')}.</p>`
    : '';
  return `<table class="summary"><thead><tr><th>Condition</th><th>n</th><th>Mean</th><th>SD</th><th>SEM</th></tr></thead><tbody>${rows.join('')}</tbody></table>${tests}${notes}${mixed}`;
}

function calibrationSentence(t: Table): { sentence: string; images: number } {
  const ii = t.header.indexOf('image_id');
  const pw = t.header.indexOf('pixel_width_um');
  const src = t.header.indexOf('calibration_source');
  const perImage = new Map<string, string>();
  for (const r of t.rows) perImage.set(r[ii], r[pw] ? `${Number(r[pw])} µm/px (${r[src] || 'unknown source'})` : 'uncalibrated');
  const tally = new Map<string, number>();
  for (const v of perImage.values()) tally.set(v, (tally.get(v) ?? 0) + 1);
  const parts = [...tally.entries()].map(([v, n]) => `${v}: ${plural(n, 'image')}`);
  const uncal = tally.get('uncalibrated') ?? 0;
  return {
    images: perImage.size,
    sentence: `Pixel sizes came from each image's metadata or were set by the user (${parts.join('; ')}).${uncal ? ' Uncalibrated images contribute counts but no lengths or Sholl profiles.' : ''}`,
  };
}

export function methodsParagraph(model: ResultsModel, ctx: ReportContext): string {
  const cal = calibrationSentence(ctx.neurons);
  const total = Object.values(model.neurons).reduce((s, n) => s + n, 0);
  const perCondition = model.conditions.map((c) => `${c}, n = ${model.neurons[c]}`).join('; ');
  const s = ctx.sholl;
  const many = model.conditions.length >= 3;
  return [
    `Dendrites were traced and measured in Ramify ${ctx.appVersion} (${plural(cal.images, 'image')}, ${plural(total, 'neuron')}: ${perCondition}).`,
    cal.sentence,
    'Each neuron was measured as one tree rooted at the soma centre. Total dendritic length is the sum of the traced segment lengths, excluding the stem from the soma centre to the first node of each primary dendrite; primary dendrites are the branches leaving the soma, branch points are nodes with two or more children, tips are nodes without children, and branch order is centrifugal (primary dendrites are order 1, +1 after each branch point).',
    `Sholl analysis used shells centred on the soma centroid at radii from ${s.start} µm in ${s.step} µm steps up to ${s.end === null ? "each neuron's farthest traced point" : `${s.end} µm`}; the crossings at a radius are the distinct points where the traced arbor (stems included) meets the shell, computed analytically for every segment, and Nmax is the largest number of crossings of a neuron. Condition curves show the mean ± SEM over neurons, a neuron counting 0 crossings beyond its arbor.`,
    `The unit of analysis is ${model.unit === 'neuron' ? 'the neuron' : `the mean per ${model.unit}`}. ${
      many
        ? `Measures were compared across conditions by one-way ANOVA followed by ${model.control ? `Dunnett's many-to-one comparisons against ${model.control} (adjusted p and simultaneous 95 % confidence intervals from the multivariate t distribution)` : "Tukey's honest significant difference test"}, with the Kruskal–Wallis test (ties corrected) and Dunn's test with Holm's adjustment as the non-parametric alternative;`
        : "Two conditions were compared by Welch's t test and the Mann–Whitney U test;"
    } normality was checked with the Shapiro–Wilk test and equality of variances with the Brown–Forsythe test. Effect sizes are ${many ? 'η²' : "Hedges' g"}. Statistics were computed by Ramify and agree with R (stats, multcomp, lme4) to at least six significant digits.`,
  ].join(' ');
}

/** The Sholl plot of a results model: mean ± SEM per condition, or every neuron's curve. */
export function shollModelSvg(model: ResultsModel, perNeuron = false): string {
  const series = model.conditions.map((c, i) => ({
    name: c,
    radii: model.sholl.radii,
    mean: model.sholl.groups[i].mean,
    sem: model.sholl.groups[i].sem,
    n: model.sholl.groups[i].neurons,
    neurons: model.sholl.profiles[c].map((p) => model.sholl.radii.map((_, k) => p[k] ?? 0)),
  }));
  return shollPlotSvg(series, { title: perNeuron ? 'Sholl profile, every neuron' : 'Sholl profile, mean ± SEM per condition', perNeuron });
}

export function reportHtml(model: ResultsModel, ctx: ReportContext): string {
  const figures = model.measures
    .map((m, i) => {
      const body = m.comparison ? `<p class="test">${esc(testSentence(m.comparison, model.control))}</p>` : `<p class="test">No test: ${esc(m.note ?? '')}.</p>`;
      return `<section class="measure" data-measure="${esc(m.column)}"><h3>Figure ${i + 2}. ${esc(m.label)}</h3><figure>${measurePlotSvg(m)}<figcaption>One dot per ${model.unit === 'neuron' ? 'neuron' : model.unit}; bars: mean ± SEM.${m.note && m.comparison ? ` ${esc(m.note)}.` : ''}</figcaption></figure>${body}${comparisonTable(m)}</section>`;
    })
    .join('\n');
  const nTable = `<table class="summary" id="n-table"><thead><tr><th>Condition</th><th>Neurons</th><th>With Sholl profile</th></tr></thead><tbody>${model.conditions
    .map((c, i) => `<tr><td>${esc(c)}</td><td>${model.neurons[c]}</td><td>${model.sholl.groups[i].neurons}</td></tr>`)
    .join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="Ramify ${esc(ctx.appVersion)}">
<title>${esc(ctx.projectName)} — Ramify report</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;color:#111;max-width:980px;margin:24px auto;padding:0 16px;line-height:1.45}
h1{font-size:22px;margin-bottom:2px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ccc}h3{font-size:14px}
.meta{color:#555;font-size:12px}table{border-collapse:collapse;margin:8px 0 10px;font-size:12px}
th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
thead th{background:#f2f2f2}figure{margin:8px 0}figcaption,.notes{font-size:11px;color:#444}.test{font-size:12px}
svg{max-width:100%;height:auto}
@page{size:A4;margin:14mm}
@media print{body{margin:0;max-width:none}section.measure,figure,table{break-inside:avoid;page-break-inside:avoid}h2,h3{break-after:avoid}}
</style></head><body>
<h1>${esc(ctx.projectName)}</h1>
<p class="meta">Ramify ${esc(ctx.appVersion)} · report written ${esc(ctx.generated)}${model.neuronsWithoutCondition ? ` · ${plural(model.neuronsWithoutCondition, 'neuron')} without a condition left out` : ''}</p>
<h2>Methods</h2><p id="methods">${esc(methodsParagraph(model, ctx))}</p>
<h2>Neurons per condition</h2>${nTable}
<h2>Sholl analysis</h2><section class="measure" data-measure="sholl"><h3>Figure 1. Sholl profiles</h3><figure>${shollModelSvg(model)}<figcaption>Crossings against distance from the soma centre; shaded band: ± SEM.</figcaption></figure></section>
<h2>Per-neuron measures</h2>
${figures}
</body></html>
`;
}
