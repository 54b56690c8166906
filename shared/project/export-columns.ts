/**
 * Every column Ramify's project export writes, with unit and definition: the single source of the data dictionary
 * written beside the CSVs (data-dictionary.csv) and of docs/data-dictionary-export.md. Metric definitions follow
 * the analysis module (docs/data-dictionary.md has the full derivations and SNT correspondences).
 */

export interface ColumnDoc {
  /** Header as written (ASCII, snake_case; `_um`, `_um2`, `_px` carry the unit). */
  name: string;
  /** Unit of the values: 'µm', 'µm²', '1/µm', 'px', 'px²', 'count', 'text', 'ratio', 'ISO 8601', 'id', 'flag'. */
  unit: string;
  /** One sentence. */
  definition: string;
}

/** Identity columns at the start of neuron, Sholl and branch rows (metadata columns follow `condition`). */
export const IDENTITY_COLUMNS: ColumnDoc[] = [
  { name: 'project', unit: 'text', definition: 'Project name.' },
  { name: 'image_file', unit: 'text', definition: "Image path relative to the project folder, '/' separators." },
  { name: 'image_id', unit: 'id', definition: "Stable image id inside the project (img-0001, … in the folder scan's order; the project file maps it to the annotation file)." },
  { name: 'blind_code', unit: 'text', definition: 'Code shown while the project was blinded (e.g. Image 017); empty when the project was never blinded.' },
  { name: 'neuron_uid', unit: 'id', definition: 'Unique neuron key across the project: image_id:neuron_id (e.g. img-0003:9).' },
  { name: 'neuron_id', unit: 'id', definition: 'Neuron id inside its annotation document.' },
  { name: 'neuron_name', unit: 'text', definition: 'Neuron name as shown in Ramify.' },
  { name: 'condition', unit: 'text', definition: 'Experimental condition of the image (always the true condition, also when the project is blinded).' },
];

/** Columns after the metadata columns in neurons.csv, before the metrics. */
export const NEURON_IMAGE_COLUMNS: ColumnDoc[] = [
  { name: 'pixel_width_um', unit: 'µm', definition: 'Pixel width used for measurement (µm per px along x); empty when the image is uncalibrated.' },
  { name: 'pixel_height_um', unit: 'µm', definition: 'Pixel height used for measurement (µm per px along y); empty when uncalibrated.' },
  { name: 'voxel_depth_um', unit: 'µm', definition: 'z spacing used for measurement; empty when unknown (z is then scaled by the pixel width).' },
  { name: 'calibration_source', unit: 'text', definition: 'Where the pixel size came from: imagej, ome, resolution (TIFF tags) or user; empty when uncalibrated.' },
];

/** Morphometric and Sholl summary columns (µm spellings); analysis' neuronRecord produces the values. */
export const METRIC_COLUMNS: ColumnDoc[] = [
  { name: 'primary_branches', unit: 'count', definition: 'Branches leaving the soma (or the root of a soma-less tree).' },
  { name: 'branch_points', unit: 'count', definition: 'Nodes where the tree splits (≥ 2 children).' },
  { name: 'tips', unit: 'count', definition: 'Terminal nodes (no children).' },
  { name: 'branches', unit: 'count', definition: 'Topological branches: soma→branch point/tip and branch point→branch point/tip.' },
  { name: 'total_length_um', unit: 'µm', definition: 'Summed length of all traced segments, stems (soma centre → first node) excluded.' },
  { name: 'stem_length_um', unit: 'µm', definition: 'Summed soma-centre → first-node distances of the primary branches.' },
  { name: 'mean_branch_length_um', unit: 'µm', definition: 'total_length_um / branches; empty without branches.' },
  { name: 'primary_branch_length_sum_um', unit: 'µm', definition: 'Summed length of the primary branches (up to their first branch point or tip).' },
  { name: 'primary_branch_length_mean_um', unit: 'µm', definition: 'Mean primary branch length; empty without primary branches.' },
  { name: 'terminal_branch_length_sum_um', unit: 'µm', definition: 'Summed length of branches ending in a tip.' },
  { name: 'terminal_branch_length_mean_um', unit: 'µm', definition: 'Mean length of branches ending in a tip; empty without tips.' },
  { name: 'max_branch_order', unit: 'count', definition: 'Highest centrifugal branch order (primary = 1, +1 after each branch point).' },
  { name: 'mean_branch_order', unit: 'count', definition: 'Mean centrifugal order over all branches.' },
  { name: 'strahler_order', unit: 'count', definition: 'Horton–Strahler number of the neuron (highest over its primary branches).' },
  { name: 'longest_path_um', unit: 'µm', definition: 'Longest soma → tip path length, stem included.' },
  { name: 'soma_area_um2', unit: 'µm²', definition: 'Area of a polygon soma outline; empty for point somata.' },
  { name: 'soma_perimeter_um', unit: 'µm', definition: 'Perimeter of a polygon soma outline; empty for point somata.' },
  { name: 'sholl_start_um', unit: 'µm', definition: 'First Sholl radius used (project setting).' },
  { name: 'sholl_step_um', unit: 'µm', definition: 'Distance between Sholl radii used (project setting).' },
  { name: 'sholl_end_um', unit: 'µm', definition: "Last Sholl radius used: the project setting, or the neuron's farthest node when the project leaves it open." },
  { name: 'sholl_nmax', unit: 'count', definition: 'Nmax: highest number of crossings at any sampled radius.' },
  { name: 'sholl_nmax_radius_um', unit: 'µm', definition: 'First sampled radius where Nmax is reached.' },
  { name: 'sholl_enclosing_radius_um', unit: 'µm', definition: 'Largest sampled radius with at least one crossing.' },
  { name: 'sholl_sum_crossings', unit: 'count', definition: 'Sum of crossings over all sampled radii.' },
  { name: 'sholl_mean_crossings', unit: 'count', definition: 'Mean crossings per sampled radius.' },
  { name: 'sholl_intersecting_radii', unit: 'count', definition: 'Number of sampled radii with at least one crossing.' },
  { name: 'sholl_ramification_index', unit: 'ratio', definition: 'Schoenen ramification index: Nmax / primary branches.' },
  { name: 'sholl_poly_degree', unit: 'count', definition: 'Degree of the best polynomial fit of the Sholl profile (highest adjusted R², degrees 1–8).' },
  { name: 'sholl_poly_r2', unit: 'ratio', definition: 'R² of that polynomial fit.' },
  { name: 'sholl_poly_adjusted_r2', unit: 'ratio', definition: 'Adjusted R² of that polynomial fit.' },
  { name: 'sholl_critical_value', unit: 'count', definition: 'Maximum of the fitted polynomial within the sampled radii (Nm).' },
  { name: 'sholl_critical_radius_um', unit: 'µm', definition: 'Radius of that maximum (rc).' },
  { name: 'sholl_semilog_decay_per_um', unit: '1/µm', definition: 'Sholl regression coefficient k of the semi-log method: −slope of ln(N/area) against r.' },
  { name: 'sholl_semilog_r2', unit: 'ratio', definition: 'R² of the semi-log regression.' },
  { name: 'sholl_loglog_decay', unit: 'ratio', definition: 'Regression coefficient of the log-log method: −slope of ln(N/area) against ln r.' },
  { name: 'sholl_loglog_r2', unit: 'ratio', definition: 'R² of the log-log regression.' },
  { name: 'sholl_determination_ratio', unit: 'ratio', definition: 'R²(semi-log) / R²(log-log); > 1 favours the semi-log method.' },
  { name: 'sholl_3d', unit: 'flag', definition: '1 when shells are spheres (nodes off the soma plane), 0 for circles.' },
];

/** Columns at the end of neurons.csv. */
export const NEURON_TRAILING_COLUMNS: ColumnDoc[] = [
  { name: 'tracer', unit: 'text', definition: 'Who traced the image (author stored in the annotation file); empty when unknown.' },
  {
    name: 'review_status',
    unit: 'text',
    definition:
      "The neuron's one tracing and review status: in-progress, ready-for-review, changes-requested or approved (its image's, unless set for the neuron alone). Excluded images and neurons are left out of every table.",
  },
  { name: 'reviewer', unit: 'text', definition: 'Who last approved the image or requested changes (the name set in their settings); empty when never reviewed.' },
  { name: 'reviewed_at', unit: 'ISO 8601', definition: 'When they did; empty when never reviewed.' },
  { name: 'app_version', unit: 'text', definition: 'Ramify version that computed the values.' },
  { name: 'warnings', unit: 'text', definition: "Integrity notes on the neuron's tracing (e.g. multifurcations, excluded branches), ' | ' separated." },
  { name: 'auto_unchanged_fraction', unit: 'ratio', definition: "Share of the neuron's traced length made by the automatic tracer and not edited since (0–1); empty for neurons traced by hand." },
];

export const SHOLL_COLUMNS: ColumnDoc[] = [
  { name: 'radius_um', unit: 'µm', definition: 'Sholl shell radius around the soma centre.' },
  { name: 'crossings', unit: 'count', definition: 'Points where the traced arbor meets the shell at that radius.' },
];

export const BRANCH_COLUMNS: ColumnDoc[] = [
  { name: 'branch_id', unit: 'id', definition: 'Topological branch number within the neuron, parents before children (1-based).' },
  { name: 'parent_branch_id', unit: 'id', definition: 'branch_id of the parent branch; empty for primary branches.' },
  { name: 'path_id', unit: 'id', definition: 'Id of the traced path (what the user drew in one go; several topological branches may share it) holding the branch start.' },
  { name: 'label', unit: 'text', definition: 'Branch type: dendrite, apical, axon, undefined or custom:NAME.' },
  { name: 'order', unit: 'count', definition: 'Centrifugal order (primary = 1).' },
  { name: 'strahler_order', unit: 'count', definition: 'Strahler order of the branch (terminal branches = 1).' },
  { name: 'length_um', unit: 'µm', definition: 'Path length of the branch, stem excluded.' },
  { name: 'ends_in', unit: 'text', definition: 'tip or branch-point.' },
];

/** Prism-ready files: columns generated per condition. */
export const PRISM_COLUMNS: ColumnDoc[] = [
  { name: '<condition>_mean', unit: 'count', definition: 'prism-sholl-xy.csv: mean crossings at the radius over all neurons of the condition (0 beyond a neuron’s extent).' },
  { name: '<condition>_sem', unit: 'count', definition: 'prism-sholl-xy.csv: standard error of that mean (sample SD / √N); empty when N = 1.' },
  { name: '<condition>_n', unit: 'count', definition: 'prism-sholl-xy.csv: neurons averaged.' },
  { name: '<condition>', unit: 'count', definition: 'prism-nmax-columns.csv: one Sholl Nmax per neuron, one column per condition (Prism Column table).' },
  { name: 'nmax_mean', unit: 'count', definition: 'prism-summary.csv: mean of the per-neuron Nmax.' },
  { name: 'nmax_sem', unit: 'count', definition: 'prism-summary.csv: SEM of the per-neuron Nmax.' },
  { name: 'n_neurons', unit: 'count', definition: 'prism-summary.csv: neurons in the condition.' },
  { name: 'peak_mean_crossings', unit: 'count', definition: 'prism-summary.csv: peak of the mean Sholl curve (the group Nmax some labs report).' },
  { name: 'peak_radius_um', unit: 'µm', definition: 'prism-summary.csv: first radius where the mean curve peaks.' },
];

/** agreement.csv: one row per neuron pair of the agreement images (or per neuron only one tracer traced). */
export const AGREEMENT_COLUMNS: ColumnDoc[] = [
  { name: 'tracer_a', unit: 'text', definition: 'First tracer of the agreement assignment (A).' },
  { name: 'tracer_b', unit: 'text', definition: 'Second tracer (B); every difference is B − A.' },
  { name: 'match', unit: 'text', definition: "both: a neuron pair (paired by soma position); only_a / only_b: a neuron only that tracer traced (its cells are empty)." },
  { name: 'neuron_a', unit: 'text', definition: "Neuron name in A's tracing." },
  { name: 'neuron_b', unit: 'text', definition: "Neuron name in B's tracing." },
  { name: 'unit', unit: 'text', definition: 'Unit of every distance and length of the row: um when the image is calibrated, px otherwise.' },
  { name: 'threshold', unit: 'unit', definition: 'Distance from which a sample counts as different structure (2 px of the image, in the row unit).' },
  { name: 'soma_distance', unit: 'unit', definition: 'Distance between the two tracings’ soma centres (roots).' },
  { name: 'sd', unit: 'unit', definition: 'Vaa3D entire-structure average: each edge sampled at floor(1 + length + 0.5) points, each point’s distance to the nearest segment of the other tracing, the mean of both directions’ means.' },
  { name: 'ssd', unit: 'unit', definition: 'Different-structure average: the same over samples at or beyond threshold (averaged over the directions that have such samples; 0 when none).' },
  { name: 'pct_ssd', unit: '%', definition: 'Percent of samples at or beyond threshold, averaged over both directions.' },
  { name: 'samples_a', unit: 'count', definition: "Points sampled on A's tracing." },
  { name: 'samples_b', unit: 'count', definition: "Points sampled on B's tracing." },
  ...(['primary_dendrites', 'branch_points', 'tips', 'total_length', 'nmax'] as const).flatMap((m): ColumnDoc[] => {
    const what = { primary_dendrites: 'Primary dendrites', branch_points: 'Branch points', tips: 'Tips', total_length: 'Total length (stems excluded)', nmax: 'Sholl Nmax' }[m];
    const unit = m === 'total_length' ? 'unit' : 'count';
    return [
      { name: `${m}_a`, unit, definition: `${what} in A's tracing.` },
      { name: `${m}_b`, unit, definition: `${what} in B's tracing.` },
      { name: `${m}_diff`, unit, definition: `${what}: B − A.` },
    ];
  }),
  { name: 'sholl_mean_abs_diff', unit: 'count', definition: 'Mean |B − A| of the crossings over the Sholl radii (both profiles on the same radii).' },
  { name: 'sholl_max_abs_diff', unit: 'count', definition: 'Largest |B − A| of the crossings at any radius.' },
];

/** agreement-icc.csv: one row per measure. */
export const AGREEMENT_ICC_COLUMNS: ColumnDoc[] = [
  { name: 'measure', unit: 'text', definition: 'primary_dendrites, branch_points, tips, total_length or nmax.' },
  { name: 'unit', unit: 'text', definition: 'count, or um / px for total_length (µm pairs only when some images are calibrated).' },
  { name: 'n', unit: 'count', definition: 'Neuron pairs used.' },
  { name: 'icc', unit: 'ratio', definition: 'ICC(2,1): two-way random effects, absolute agreement, single rater (Shrout & Fleiss; irr::icc, psych ICC2); empty with fewer than 2 pairs or no variation.' },
  { name: 'ci_low', unit: 'ratio', definition: 'Lower bound of its 95 % confidence interval (McGraw & Wong).' },
  { name: 'ci_high', unit: 'ratio', definition: 'Upper bound of that interval.' },
  { name: 'f', unit: 'ratio', definition: 'F = MS(neurons) / MS(error), the test of ICC = 0.' },
  { name: 'df1', unit: 'count', definition: 'Numerator degrees of freedom (n − 1).' },
  { name: 'df2', unit: 'count', definition: 'Denominator degrees of freedom (n − 1)(k − 1).' },
  { name: 'p', unit: 'ratio', definition: 'p value of that F test.' },
  { name: 'bias', unit: 'unit', definition: 'Bland–Altman bias: mean of B − A.' },
  { name: 'sd_diff', unit: 'unit', definition: 'Sample SD of B − A.' },
  { name: 'loa_lower', unit: 'unit', definition: 'Lower limit of agreement: bias − 1.96 sd_diff.' },
  { name: 'loa_upper', unit: 'unit', definition: 'Upper limit of agreement: bias + 1.96 sd_diff.' },
];

/** The `_px` twin of a µm column name, e.g. total_length_um → total_length_px, soma_area_um2 → soma_area_px2. */
export const pxName = (umName: string): string => umName.replace(/_um(2?)$/, '_px$1').replace(/_per_um$/, '_per_px');

/** Unit of a px twin. */
export const pxUnit = (umUnit: string): string => umUnit.replace('µm²', 'px²').replace('1/µm', '1/px').replace('µm', 'px');
