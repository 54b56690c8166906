import { median } from '../stats/descriptive';

/**
 * Neurons whose numbers sit far from the rest of their condition: likely tracing errors (a missed arbor, a branch
 * traced into a neighbour) rather than biology, so the gallery points a reviewer at them. The centre and spread are
 * the median and the MAD, which a few bad tracings cannot drag along the way a mean and SD would.
 */

/** R's `mad()` constant: makes the MAD a consistent estimate of the SD for normal data. */
export const MAD_CONSTANT = 1.4826;

/** |z| above this flags a neuron. */
export const OUTLIER_THRESHOLD = 3;

/** The key measures checked (neurons.csv columns), with the short name a flag shows. */
export const OUTLIER_MEASURES: readonly { column: string; label: string }[] = [
  { column: 'primary_branches', label: 'primary dendrites' },
  { column: 'branch_points', label: 'branch points' },
  { column: 'tips', label: 'tips' },
  { column: 'total_length_um', label: 'total length' },
  { column: 'sholl_nmax', label: 'Nmax' },
];

/** R's `mad(x)`: 1.4826 × the median absolute deviation from the median. NaN for no values. */
export function mad(xs: readonly number[], centre: number = median(xs)): number {
  if (xs.length === 0) return NaN;
  return MAD_CONSTANT * median(xs.map((x) => Math.abs(x - centre)));
}

/**
 * Robust z of x against a sample: (x − median) / mad. Null when the spread is zero or unknown (every value equal,
 * or fewer than one): no scale to judge distance by, so nothing is called far.
 */
export function robustZ(x: number, centre: { median: number; mad: number }): number | null {
  if (!(centre.mad > 0) || !Number.isFinite(x)) return null;
  return (x - centre.median) / centre.mad;
}

export interface OutlierFlag {
  /** neurons.csv column. */
  measure: string;
  label: string;
  value: number;
  /** The condition's median of the measure. */
  median: number;
  z: number;
}

/** One neuron as the check sees it: its group (condition) and its values by column (null = not measured). */
export interface OutlierInput {
  group: string;
  values: Readonly<Record<string, number | null | undefined>>;
}

/**
 * For each neuron, the key measures on which it lies more than `threshold` robust SDs from its group's median
 * (medians and MADs per group and measure, over the neurons that have the value). Same order as `rows`.
 */
export function outlierFlags(rows: readonly OutlierInput[], measures = OUTLIER_MEASURES, threshold = OUTLIER_THRESHOLD): OutlierFlag[][] {
  const centres = new Map<string, { median: number; mad: number }>();
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => groups.set(r.group, [...(groups.get(r.group) ?? []), i]));
  for (const [group, members] of groups) {
    for (const m of measures) {
      const xs = members.map((i) => rows[i].values[m.column]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      if (xs.length === 0) continue;
      const med = median(xs);
      centres.set(`${group}\u0000${m.column}`, { median: med, mad: mad(xs, med) });
    }
  }
  return rows.map((r) => {
    const flags: OutlierFlag[] = [];
    for (const m of measures) {
      const value = r.values[m.column];
      const centre = centres.get(`${r.group}\u0000${m.column}`);
      if (typeof value !== 'number' || !centre) continue;
      const z = robustZ(value, centre);
      if (z !== null && Math.abs(z) > threshold) flags.push({ measure: m.column, label: m.label, value, median: centre.median, z });
    }
    return flags;
  });
}

/** "tips z = +4.2 (median 12)": how a flag reads on a tile. */
export function describeFlag(f: OutlierFlag): string {
  const z = `${f.z > 0 ? '+' : '−'}${Math.abs(f.z).toFixed(1)}`;
  return `${f.label} z = ${z} (median ${Number.isInteger(f.median) ? f.median : f.median.toFixed(1)})`;
}
