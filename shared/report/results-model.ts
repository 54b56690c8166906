/**
 * What the report and the Results view show, computed from a project's exported tables (neurons.csv, sholl.csv as
 * the export writes them): per-condition Sholl curves and, for each per-neuron measure, the group comparison.
 */
import { summarizeSholl, type ShollSummary } from '../formats/prism';
import { compareGroups, fitClusterModel, StatsInputError, type GroupComparison, type GroupData } from '../stats/analyze';
import { mean } from '../stats/descriptive';
import type { MixedModelResult } from '../stats/mixed-model';
import { MEASURES } from './measures';

export { MEASURES };

export interface Table {
  header: string[];
  rows: string[][];
}

export interface MeasureResult {
  column: string;
  label: string;
  groups: GroupData[];
  /** null when fewer than 2 conditions have ≥ 2 values. */
  comparison: GroupComparison | null;
  /** Why there is no comparison. */
  note: string | null;
  mixed: MixedModelResult | null;
}

export interface ResultsModel {
  conditions: string[];
  /** Neurons per condition (all rows of neurons.csv with that condition). */
  neurons: Record<string, number>;
  control: string | null;
  /** 'neuron' or the metadata column whose per-value means are the unit of analysis. */
  unit: string;
  sholl: ShollSummary & { profiles: Record<string, number[][]> };
  measures: MeasureResult[];
  neuronsWithoutCondition: number;
}

const col = (t: Table, name: string) => t.header.indexOf(name);

/**
 * `order` is the project's condition order (unknown conditions follow in order of appearance); `control` the
 * reference for Dunnett (default: the first condition); `unit` 'neuron' or a metadata column (culture, well, …)
 * whose per-value means become the data points; `cluster` fits the random-intercept model per measure.
 */
export function buildResults(
  neurons: Table,
  sholl: Table,
  opts: { order?: string[]; control?: string | null; unit?: string; cluster?: string | null; shollStart: number; shollStep: number; measures?: typeof MEASURES },
): ResultsModel {
  const ci = col(neurons, 'condition');
  const withCondition = neurons.rows.filter((r) => (r[ci] ?? '') !== '');
  const present = [...new Set(withCondition.map((r) => r[ci]))];
  const conditions = [...(opts.order ?? []).filter((c) => present.includes(c)), ...present.filter((c) => !(opts.order ?? []).includes(c))];
  const counts = Object.fromEntries(conditions.map((c) => [c, withCondition.filter((r) => r[ci] === c).length]));
  const control = opts.control === null ? null : opts.control && conditions.includes(opts.control) ? opts.control : (conditions[0] ?? null);
  const unit = opts.unit ?? 'neuron';
  const unitIndex = unit === 'neuron' ? -1 : col(neurons, unit);
  if (unit !== 'neuron' && unitIndex < 0) throw new Error(`no column '${unit}' in the neurons table`);
  const clusterIndex = opts.cluster ? col(neurons, opts.cluster) : -1;

  // Sholl: profiles per neuron (radius order), grouped by condition.
  const si = { uid: col(sholl, 'neuron_uid'), cond: col(sholl, 'condition'), r: col(sholl, 'radius_um'), n: col(sholl, 'crossings') };
  const byNeuron = new Map<string, { cond: string; pts: [number, number][] }>();
  for (const r of sholl.rows) {
    if (!r[si.cond]) continue;
    const e = byNeuron.get(r[si.uid]) ?? { cond: r[si.cond], pts: [] };
    e.pts.push([Number(r[si.r]), Number(r[si.n])]);
    byNeuron.set(r[si.uid], e);
  }
  const profiles: Record<string, number[][]> = Object.fromEntries(conditions.map((c) => [c, []]));
  for (const e of byNeuron.values()) {
    const p: number[] = [];
    for (const [radius, n] of e.pts.sort((a, b) => a[0] - b[0])) p[Math.round((radius - opts.shollStart) / opts.shollStep)] = n;
    profiles[e.cond]?.push(Array.from(p, (v) => v ?? 0));
  }
  const summary = summarizeSholl(
    conditions.map((c) => ({ condition: c, profiles: profiles[c], nmax: profiles[c].map((p) => Math.max(0, ...p)) })),
    opts.shollStart,
    opts.shollStep,
  );

  const measures = (opts.measures ?? MEASURES).map(({ column, label }): MeasureResult => {
    const vi = col(neurons, column);
    const groups: GroupData[] = [];
    const clusters: string[][] = [];
    for (const c of conditions) {
      const rows = withCondition.filter((r) => r[ci] === c && vi >= 0 && r[vi] !== '' && Number.isFinite(Number(r[vi])));
      if (unitIndex >= 0) {
        // Pseudo-replication guard: one data point per culture/well/coverslip (the mean of its neurons).
        const byUnit = new Map<string, number[]>();
        for (const r of rows) {
          if (r[unitIndex] === '') continue;
          const v = byUnit.get(r[unitIndex]);
          if (v) v.push(Number(r[vi]));
          else byUnit.set(r[unitIndex], [Number(r[vi])]);
        }
        groups.push({ name: c, values: [...byUnit.values()].map((v) => mean(v)) });
      } else {
        groups.push({ name: c, values: rows.map((r) => Number(r[vi])) });
        clusters.push(rows.map((r) => (clusterIndex >= 0 ? r[clusterIndex] : '')));
      }
    }
    const usable = groups.filter((g) => g.values.length >= 2);
    if (vi < 0) return { column, label, groups, comparison: null, note: `no column ${column}`, mixed: null };
    if (usable.length < 2) return { column, label, groups, comparison: null, note: 'fewer than 2 conditions with at least 2 values', mixed: null };
    const dropped = groups.filter((g) => g.values.length < 2).map((g) => g.name);
    const ctl = control && usable.some((g) => g.name === control) ? control : undefined;
    let comparison: GroupComparison;
    try {
      comparison = compareGroups(usable, { control: ctl });
    } catch (e) {
      if (e instanceof StatsInputError) return { column, label, groups, comparison: null, note: e.message, mixed: null };
      throw e;
    }
    let mixed: MixedModelResult | null = null;
    if (clusterIndex >= 0 && unitIndex < 0) {
      const kept = groups.map((g, i) => ({ g, c: clusters[i] })).filter(({ g }) => g.values.length >= 2);
      const flat = kept.flatMap(({ c }) => c);
      if (flat.every((x) => x !== '') && new Set(flat).size >= 2)
        try {
          mixed = fitClusterModel(kept.map(({ g }) => g), kept.map(({ c }) => c), ctl);
        } catch {
          mixed = null;
        }
    }
    return { column, label, groups, comparison, note: dropped.length ? `left out (fewer than 2 values): ${dropped.join(', ')}` : null, mixed };
  });
  return {
    conditions,
    neurons: counts,
    control,
    unit,
    sholl: { ...summary, profiles },
    measures,
    neuronsWithoutCondition: neurons.rows.length - withCondition.length,
  };
}
