/**
 * The comparison of one per-neuron measure across groups, as Ramify reports it (CLI JSON, report, Results view):
 * ≥ 3 groups — one-way ANOVA, Dunnett against a control (Tukey for all pairs without one), Kruskal–Wallis, Dunn–Holm;
 * 2 groups — Welch's t (Student's on request), Mann–Whitney U; always effect sizes and the normality and
 * equal-variance checks as notes.
 */
import { brownForsythe, oneWayAnova } from './anova';
import { describe } from './descriptive';
import { fitRandomIntercept, type MixedModelResult } from './mixed-model';
import { dunnett, tukeyHsd } from './multiple-comparisons';
import { dunnHolm, kruskalWallis } from './rank-tests';
import { shapiroWilk } from './shapiro-wilk';
import { hedgesG, mannWhitney, tTest } from './two-groups';
import { oneOrMany } from '../text/plural';

export interface GroupData {
  name: string;
  values: number[];
}

export interface GroupSummary {
  name: string;
  n: number;
  mean: number;
  sd: number;
  sem: number;
}

export interface ComparisonRow {
  group: string;
  /** The control (Dunnett, Dunn vs control) or, for an all-pairs method, the other group of the pair. */
  control: string;
  difference: number;
  ci_low: number | null;
  ci_high: number | null;
  p_adjusted: number;
  method: string;
}

export interface Notes {
  normality: { group: string; W: number | null; p: number | null }[];
  brown_forsythe: { F: number; df1: number; df2: number; p: number } | null;
}

export interface ManyGroupsResult {
  kind: 'groups';
  groups: GroupSummary[];
  anova: { F: number; df_between: number; df_within: number; p: number };
  comparisons: ComparisonRow[];
  kruskal: { H: number; df: number; p: number };
  /** Dunn's test (Holm) after Kruskal–Wallis: against the control, or all pairs. */
  dunn: ComparisonRow[];
  effect_size: { eta_squared: number };
  notes: Notes;
}

export interface TwoGroupsResult {
  kind: 'two-groups';
  groups: GroupSummary[];
  /** Compares groups[1] − groups[0] (groups[0] is the control when one is named). */
  t_test: { t: number; df: number; p: number; welch: boolean; difference: number; ci_low: number; ci_high: number };
  mann_whitney: { U: number; p: number; method: 'exact' | 'normal' };
  effect_size: { hedges_g: number };
  notes: Notes;
}

export type GroupComparison = ManyGroupsResult | TwoGroupsResult;

export class StatsInputError extends Error {}

function notes(groups: GroupData[]): Notes {
  const normality = groups.map((g) => {
    const distinct = new Set(g.values).size > 1;
    if (g.values.length < 3 || g.values.length > 5000 || !distinct) return { group: g.name, W: null, p: null };
    return { group: g.name, ...shapiroWilk(g.values) };
  });
  const usable = groups.every((g) => g.values.length >= 2);
  return { normality, brown_forsythe: usable ? brownForsythe(groups.map((g) => g.values)) : null };
}

/**
 * Runs the comparison. Groups keep their given order; `control` names the reference group. Throws StatsInputError for
 * fewer than 2 groups, a group with fewer than 2 values, or an unknown control.
 */
export function compareGroups(groups: GroupData[], opts: { control?: string; equalVariances?: boolean } = {}): GroupComparison {
  if (groups.length < 2) throw new StatsInputError(`need at least 2 groups, found ${groups.length}${groups.length ? ` (${groups[0].name})` : ''}`);
  const small = groups.filter((g) => g.values.length < 2);
  if (small.length) throw new StatsInputError(`${oneOrMany(small.length, 'group', 'groups')} with fewer than 2 values: ${small.map((g) => `${g.name} (n=${g.values.length})`).join(', ')}`);
  let control: number | undefined;
  if (opts.control !== undefined) {
    control = groups.findIndex((g) => g.name === opts.control);
    if (control < 0) throw new StatsInputError(`unknown control '${opts.control}'; groups are: ${groups.map((g) => g.name).join(', ')}`);
  }
  const values = groups.map((g) => g.values);
  if (groups.every((g) => g.values.every((v) => v === g.values[0]))) throw new StatsInputError('no variation within any group (each group holds one repeated value): no test applies');
  const summaries = groups.map((g) => ({ name: g.name, ...describe(g.values) }));
  if (groups.length === 2) {
    const ref = control ?? 0;
    const other = 1 - ref;
    const t = tTest(values[other], values[ref], !opts.equalVariances);
    const order = [summaries[ref], summaries[other]];
    return {
      kind: 'two-groups',
      groups: order,
      t_test: { t: t.t, df: t.df, p: t.p, welch: t.welch, difference: t.difference, ci_low: t.ci_low, ci_high: t.ci_high },
      mann_whitney: mannWhitney(values[other], values[ref]),
      effect_size: { hedges_g: hedgesG(values[other], values[ref]) },
      notes: notes([groups[ref], groups[other]]),
    };
  }
  const a = oneWayAnova(values);
  const post = control !== undefined ? dunnett(values, control) : tukeyHsd(values);
  const names = groups.map((g) => g.name);
  return {
    kind: 'groups',
    groups: summaries,
    anova: { F: a.F, df_between: a.df_between, df_within: a.df_within, p: a.p },
    comparisons: post.map((c) => ({ group: names[c.a], control: names[c.b], difference: c.difference, ci_low: c.ci_low, ci_high: c.ci_high, p_adjusted: c.p_adjusted, method: c.method })),
    kruskal: kruskalWallis(values),
    dunn: dunnHolm(values, control).map((d) => ({
      group: names[d.a],
      control: names[d.b],
      difference: summaries[d.a].mean - summaries[d.b].mean,
      ci_low: null,
      ci_high: null,
      p_adjusted: d.p_adjusted,
      method: 'Dunn (Holm)',
    })),
    effect_size: { eta_squared: a.eta_squared },
    notes: notes(groups),
  };
}

/** The random-intercept model for grouped values with a cluster label per value (reference: the control or group 1). */
export function fitClusterModel(groups: GroupData[], clusters: string[][], control?: string): MixedModelResult {
  const reference = Math.max(0, control === undefined ? 0 : groups.findIndex((g) => g.name === control));
  const y = groups.flatMap((g) => g.values);
  const groupOf = groups.flatMap((g, i) => g.values.map(() => i));
  const clusterOf = clusters.flat();
  if (new Set(clusterOf).size < 2) throw new StatsInputError('the mixed model needs at least 2 clusters');
  return fitRandomIntercept(y, groupOf, groups.map((g) => g.name), reference, clusterOf);
}
