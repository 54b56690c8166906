import type { NeuronMeasurements } from './index';

/** A flat, snake_case record of one neuron's measurements; length columns end in _um (or _px when uncalibrated). */
export type MeasurementRecord = Record<string, string | number | null>;

/** Column names of neuronRecord for a unit, in output order (CSV header). */
export function recordColumns(unit: 'µm' | 'px'): string[] {
  return Object.keys(neuronRecord(EMPTY, unit));
}

const EMPTY: NeuronMeasurements = {
  neuronId: 0,
  name: '',
  unit: 'µm',
  morphometrics: {
    unit: 'µm', primaryBranches: 0, branchPoints: 0, tips: 0, branches: 0, totalLength: 0, stemLength: 0, meanBranchLength: null,
    primaryBranchLengthSum: 0, primaryBranchLengthMean: null, terminalBranchLengthSum: 0, terminalBranchLengthMean: null,
    maxBranchOrder: 0, meanBranchOrder: null, strahlerNumber: 0, longestPath: 0, somaArea: null, somaPerimeter: null, multifurcations: 0,
  },
  sholl: null,
  branches: [],
  warnings: [],
};

/** One row per neuron; the Sholl profile itself is not included (see shollProfileRecords). */
export function neuronRecord(m: NeuronMeasurements, unit: 'µm' | 'px' = m.unit): MeasurementRecord {
  const u = unit === 'µm' ? 'um' : 'px';
  const g = m.morphometrics;
  const s = m.sholl;
  return {
    neuron: m.name,
    neuron_id: m.neuronId,
    unit: u,
    primary_branches: g.primaryBranches,
    branch_points: g.branchPoints,
    tips: g.tips,
    branches: g.branches,
    [`total_length_${u}`]: g.totalLength,
    [`stem_length_${u}`]: g.stemLength,
    [`mean_branch_length_${u}`]: g.meanBranchLength,
    [`primary_branch_length_sum_${u}`]: g.primaryBranchLengthSum,
    [`primary_branch_length_mean_${u}`]: g.primaryBranchLengthMean,
    [`terminal_branch_length_sum_${u}`]: g.terminalBranchLengthSum,
    [`terminal_branch_length_mean_${u}`]: g.terminalBranchLengthMean,
    max_branch_order: g.maxBranchOrder,
    mean_branch_order: g.meanBranchOrder,
    strahler_order: g.strahlerNumber,
    [`longest_path_${u}`]: g.longestPath,
    [`soma_area_${u}2`]: g.somaArea,
    [`soma_perimeter_${u}`]: g.somaPerimeter,
    [`sholl_start_${u}`]: s?.start ?? null,
    [`sholl_step_${u}`]: s?.step ?? null,
    [`sholl_end_${u}`]: s?.end ?? null,
    sholl_nmax: s?.maxCrossings ?? null,
    [`sholl_nmax_radius_${u}`]: s?.maxCrossingsRadius ?? null,
    [`sholl_enclosing_radius_${u}`]: s?.enclosingRadius ?? null,
    sholl_sum_crossings: s?.sumCrossings ?? null,
    sholl_mean_crossings: s?.meanCrossings ?? null,
    sholl_intersecting_radii: s?.intersectingRadii ?? null,
    sholl_ramification_index: s?.ramificationIndex ?? null,
    sholl_poly_degree: s?.polynomial?.degree ?? null,
    sholl_poly_r2: s?.polynomial?.rSquared ?? null,
    sholl_poly_adjusted_r2: s?.polynomial?.adjustedRSquared ?? null,
    sholl_critical_value: s?.polynomial?.criticalValue ?? null,
    [`sholl_critical_radius_${u}`]: s?.polynomial?.criticalRadius ?? null,
    [`sholl_semilog_decay_per_${u}`]: s?.semiLog?.decay ?? null,
    sholl_semilog_r2: s?.semiLog?.rSquared ?? null,
    sholl_loglog_decay: s?.logLog?.decay ?? null,
    sholl_loglog_r2: s?.logLog?.rSquared ?? null,
    sholl_determination_ratio: s?.determinationRatio ?? null,
    sholl_3d: s ? (s.is3D ? 1 : 0) : null,
    warnings: m.warnings.join(' | '),
  };
}

/** Long-format Sholl profile rows: neuron, neuron_id, radius, crossings, fitted. */
export function shollProfileRecords(m: NeuronMeasurements): MeasurementRecord[] {
  const u = m.unit === 'µm' ? 'um' : 'px';
  return (m.sholl?.profile ?? []).map((p) => ({ neuron: m.name, neuron_id: m.neuronId, [`radius_${u}`]: p.radius, crossings: p.crossings, fitted: p.fitted }));
}
