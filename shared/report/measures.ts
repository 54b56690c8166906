/** Per-neuron measures offered for comparison: neurons.csv column and the label a reader sees. */
export const MEASURES: { column: string; label: string }[] = [
  { column: 'sholl_nmax', label: 'Nmax (maximum Sholl crossings)' },
  { column: 'total_length_um', label: 'Total dendritic length (µm)' },
  { column: 'branch_points', label: 'Branch points' },
  { column: 'primary_branches', label: 'Primary dendrites' },
  { column: 'tips', label: 'Tips' },
  { column: 'sholl_critical_radius_um', label: 'Critical radius (µm)' },
  { column: 'sholl_sum_crossings', label: 'Σ Sholl crossings (area under the curve / step)' },
  { column: 'max_branch_order', label: 'Maximum branch order' },
];
