import { measureDocument, neuronRecord, recordColumns, type NeuronMeasurements } from '../analysis';
import { autoUnchangedShare } from '../analysis/auto-provenance';
import { writeCsv, type CsvValue } from '../formats/csv';
import { parseCsv } from './csv-parse';
import { prismNmaxColumnsCsv, prismPzfx, prismShollXyCsv, prismSummaryCsv, summarizeSholl, type PerNeuronTable, type ShollGroup } from '../formats/prism';
import { printResolutionDpi } from '../image/calibration';
import type { Calibration } from '../image/types';
import type { Review } from '../formats/annotation/types';
import type { AnnotationDocument } from '../model/document';
import { neuronState } from '../review/review';
import { reconcileStates, REVIEW_STATES, STATE_LABELS, type ReviewState } from '../review/status';
import {
  BRANCH_COLUMNS,
  IDENTITY_COLUMNS,
  METRIC_COLUMNS,
  NEURON_IMAGE_COLUMNS,
  NEURON_TRAILING_COLUMNS,
  PRISM_COLUMNS,
  AGREEMENT_COLUMNS,
  AGREEMENT_ICC_COLUMNS,
  SHOLL_COLUMNS,
  pxName,
  pxUnit,
  type ColumnDoc,
} from './export-columns';
import { columnRType, readRamifyScript, type RColumnType, type TypedCsv } from './read-ramify-r';
import { MEASURES } from '../report/measures';
import type { Project, ProjectImage } from './schema';
import { oneOrMany, plural } from '../text/plural';

/**
 * Builds every export table of a project from its images' annotation documents: pure, one image at a time (so the
 * file-writing service can report progress and stop early), identical in the app and the CLI.
 *
 * Units: lengths come out in µm from the document's calibration (the project image's calibration when the document
 * has none). An uncalibrated image never writes px values under µm names: its length and Sholl cells stay empty and
 * the export result carries a warning; `includePixelColumns` adds `_px` twins of the length columns (filled for
 * every image). Sholl columns exist only in µm: shells in px would sit at different distances on every image.
 */

/** One image's contribution to the export. */
export interface ExportImageInput {
  image: ProjectImage;
  /** Its annotations; null when the image has no annotation file yet. */
  document: AnnotationDocument | null;
  /** Author stored in the annotation file's review ('' unknown). */
  tracer?: string;
  /** The annotation file's review (status of the image and its neurons, reviewer); absent without a file. */
  review?: Review | null;
}

export interface ExportTableOptions {
  /** Ramify version written into every neuron row. */
  appVersion: string;
  /** Adds `_px` columns of every length (also filled for calibrated images). */
  includePixelColumns?: boolean;
  /** ISO 8601 time of the export (pzfx header, manifest). */
  now: string;
  /** Only neurons a reviewer approved get rows; the others are counted by status in `notApproved`. */
  approvedOnly?: boolean;
}

/** One output file. */
export interface ExportFile {
  /** File name inside the output folder. */
  name: string;
  /** UTF-8 text (CSV: CRLF line ends, no BOM). */
  text: string;
  /** Data rows (without header); null for non-tabular files. */
  rows: number | null;
}

export interface ExportTables {
  files: ExportFile[];
  /** One sentence each, for the user. */
  warnings: string[];
  /** Images that contributed neuron rows. */
  images: number;
  /** Neuron rows written. */
  neurons: number;
  /** Images that contributed nothing, with why, in project order. */
  leftOut: LeftOutImage[];
  /** With `approvedOnly`: neurons left out for not being approved, by their status (excluded ones are in the warnings). */
  notApproved?: NotApprovedCounts;
}

/** Neurons an approved-only export left out, per review status. */
export type NotApprovedCounts = Partial<Record<ReviewState, number>>;

/** An image of the project without rows in the export. */
export interface LeftOutImage {
  path: string;
  /** 'not traced', 'no neurons', 'excluded' or 'excluded: <the reviewer's reason>'. */
  reason: string;
}


/**
 * "Exported 1 neuron from 1 image": the first line of every export summary (app and CLI). An approved-only export
 * says so, and how many neurons it left out for which status: "Exported 2 approved neurons from 1 image; left out 3
 * neurons not approved (2 ready for review, 1 in progress)".
 */
export function exportHeadline(r: Pick<ExportTables, 'neurons' | 'images' | 'notApproved'>): string {
  if (!r.notApproved) return `Exported ${plural(r.neurons, 'neuron')} from ${plural(r.images, 'image')}`;
  const counts = REVIEW_STATES.map((s) => [s, r.notApproved![s] ?? 0] as const).filter(([, n]) => n > 0);
  const total = counts.reduce((a, [, n]) => a + n, 0);
  const why = total === 0 ? '; every traced neuron is approved' : `; left out ${plural(total, 'neuron')} not approved (${counts.map(([s, n]) => `${n} ${STATE_LABELS[s]}`).join(', ')})`;
  return `Exported ${plural(r.neurons, 'approved neuron')} from ${plural(r.images, 'image')}${why}`;
}

/** File names, in write order. */
export const EXPORT_FILE_NAMES = [
  'neurons.csv',
  'sholl.csv',
  'branches.csv',
  'prism-sholl-xy.csv',
  'prism-nmax-columns.csv',
  'prism-summary.csv',
  'sholl.pzfx',
  'data-dictionary.csv',
  'read_ramify.R',
] as const;

const UM_COLUMNS = recordColumns('µm');
const PX_COLUMNS = recordColumns('px');
/** neuronRecord keys that are identity, not metrics (the export writes its own identity columns). */
const RECORD_IDENTITY = new Set(['neuron', 'neuron_id', 'unit', 'warnings']);
/** Metric columns in analysis order; the dictionary documents each (a test checks none is missing). */
export const EXPORT_METRIC_NAMES = UM_COLUMNS.filter((c) => !RECORD_IDENTITY.has(c));
/** µm metric names whose value depends on the unit (their px twin has another name). */
const UNIT_DEPENDENT = new Set(UM_COLUMNS.filter((c, i) => c !== PX_COLUMNS[i]));
/** px twin columns: unit-dependent metrics except Sholl ones. */
const PX_TWINS = EXPORT_METRIC_NAMES.filter((c) => UNIT_DEPENDENT.has(c) && !c.startsWith('sholl_'));

/** Header of a metadata column: its name, prefixed `meta_` when it would clash with a built-in column. */
function metadataHeaders(columns: readonly string[]): string[] {
  const builtIn = new Set(
    [...IDENTITY_COLUMNS, ...NEURON_IMAGE_COLUMNS, ...NEURON_TRAILING_COLUMNS, ...SHOLL_COLUMNS, ...BRANCH_COLUMNS].map((c) => c.name.toLowerCase()).concat(EXPORT_METRIC_NAMES, PX_TWINS.map(pxName)),
  );
  return columns.filter((c) => c !== 'condition').map((c) => (builtIn.has(c.toLowerCase()) ? `meta_${c}` : c));
}

/** Calibration a document is measured with: its own, else the project image's. */
export function effectiveCalibration(image: ProjectImage, document: AnnotationDocument | null): Calibration | null {
  return document?.calibration ?? image.calibration ?? null;
}

/**
 * The review state of each neuron of an image's document, as the export reads it: the file's status (the truth once
 * it exists) reconciled with the project's for earlier builds' files, then each neuron's own.
 */
export function exportStates(image: ProjectImage, review: Review | null, document: AnnotationDocument): Array<{ status: ReviewState; reason: string }> {
  const status = review ? reconcileStates(image.status, review.status) : image.status;
  return document.neurons.map((n) => neuronState({ status, neurons: review?.neurons }, n.id));
}

/** Whether a neuron in `status` gets rows (and an SWC file): never when excluded; with approvedOnly only when approved. */
export const isExported = (status: ReviewState, approvedOnly = false): boolean => status !== 'excluded' && (!approvedOnly || status === 'approved');

/** Incremental builder: `add` each image in project order, then `finish`. */
export interface ExportBuilder {
  add(input: ExportImageInput): void;
  finish(): ExportTables;
}

export function createExportBuilder(project: Project, options: ExportTableOptions): ExportBuilder {
  const metaCols = project.columns.filter((c) => c !== 'condition');
  const metaHeaders = metadataHeaders(project.columns);
  const px = options.includePixelColumns === true;
  const sholl = { start: project.sholl.start, step: project.sholl.step, end: project.sholl.end ?? undefined };

  const idHeader = IDENTITY_COLUMNS.map((c) => c.name);
  const neuronHeader = [...idHeader, ...metaHeaders, ...NEURON_IMAGE_COLUMNS.map((c) => c.name), ...EXPORT_METRIC_NAMES, ...(px ? PX_TWINS.map(pxName) : []), ...NEURON_TRAILING_COLUMNS.map((c) => c.name)];
  const shollHeader = [...idHeader, ...metaHeaders, ...SHOLL_COLUMNS.map((c) => c.name)];
  const branchHeader = [...idHeader, ...metaHeaders, ...BRANCH_COLUMNS.map((c) => c.name), ...(px ? ['length_px'] : [])];
  const neuronRows: CsvValue[][] = [];
  const shollRows: CsvValue[][] = [];
  const branchRows: CsvValue[][] = [];
  const warnings: string[] = [];
  const uncalibrated: string[] = [];
  const printResolution: string[] = [];
  const unassigned: string[] = [];
  const excludedNeurons: string[] = [];
  const groups = new Map<string, ShollGroup>(project.conditions.map((c) => [c, { condition: c, profiles: [], nmax: [] }]));
  const leftOut: LeftOutImage[] = [];
  const notApproved: NotApprovedCounts = {};
  // Per-neuron values of the compared measures, per condition, for the Prism Column tables (Nmax has its own).
  const perNeuronMeasures = MEASURES.filter((m) => m.column !== 'sholl_nmax');
  const perNeuron = new Map<string, number[][]>();
  let images = 0;

  const add = ({ image, document, tracer = '', review = null }: ExportImageInput) => {
    // One status: the file's (it is the truth once it exists), reconciled with the project's for earlier builds' files.
    const imageStatus = review ? reconcileStates(image.status, review.status) : image.status;
    if (imageStatus === 'excluded') {
      const reason = review?.reason ?? image.reason;
      leftOut.push({ path: image.path, reason: reason ? `excluded: ${reason}` : 'excluded' });
      return;
    }
    if (!document || document.neurons.length === 0) {
      leftOut.push({ path: image.path, reason: !document ? 'not traced' : 'no neurons' });
      return;
    }
    const states = exportStates(image, review, document);
    states.forEach((st, i) => st.status === 'excluded' && excludedNeurons.push(`${image.path} ${document.neurons[i].name}${st.reason ? ` (${st.reason})` : ''}`));
    if (options.approvedOnly) {
      for (const st of states) if (st.status !== 'approved' && st.status !== 'excluded') notApproved[st.status] = (notApproved[st.status] ?? 0) + 1;
      if (!states.some((st) => st.status === 'approved')) return;
    }
    images++;
    const cal = effectiveCalibration(image, document);
    if (cal && document.calibration && image.calibration && (cal.pixelWidth !== image.calibration.pixelWidth || cal.pixelHeight !== image.calibration.pixelHeight))
      warnings.push(`${image.path}: the annotation's pixel size (${cal.pixelWidth} µm) differs from the image file's (${image.calibration.pixelWidth} µm); the annotation's was used.`);
    const condition = image.metadata.condition ?? '';
    if (condition === '') unassigned.push(image.path);
    const dpi = printResolutionDpi(cal);
    if (!cal) uncalibrated.push(image.path);
    else if (dpi !== null) printResolution.push(`${image.path} (${dpi} dpi)`);
    const ident = (neuronId: number, name: string): CsvValue[] => [
      project.name,
      image.path,
      image.id,
      project.blinding.key[image.id] ?? '',
      `${image.id}:${neuronId}`,
      neuronId,
      name,
      condition,
      ...metaCols.map((c) => image.metadata[c] ?? ''),
    ];
    const measured: NeuronMeasurements[] = cal ? measureDocument({ ...document, calibration: cal }, { sholl }) : [];
    const inPx: NeuronMeasurements[] | null = !cal || px ? measureDocument({ ...document, calibration: null }, { sholl: false }) : null;
    document.neurons.forEach((neuron, i) => {
      const state = states[i];
      if (!isExported(state.status, options.approvedOnly)) return;
      const m = measured[i];
      const p = inPx?.[i];
      const umRecord = m ? neuronRecord(m, 'µm') : null;
      const pxRecord = p ? neuronRecord(p, 'px') : null;
      const metric = (name: string): CsvValue => {
        if (umRecord) return umRecord[name];
        // Uncalibrated: topology counts only.
        return UNIT_DEPENDENT.has(name) || name.startsWith('sholl_') ? null : (pxRecord?.[name] ?? null);
      };
      const base = (m ?? p)!;
      const row: CsvValue[] = [
        ...ident(neuron.id, neuron.name),
        cal?.pixelWidth ?? null,
        cal?.pixelHeight ?? null,
        cal?.voxelDepth ?? null,
        cal?.source ?? null,
        ...EXPORT_METRIC_NAMES.map(metric),
        ...(px ? PX_TWINS.map((c) => pxRecord?.[pxName(c)] ?? null) : []),
        tracer,
        state.status,
        review?.reviewer ?? '',
        review?.reviewedAt ?? '',
        options.appVersion,
        base.warnings.join(' | '),
        autoUnchangedShare(neuron),
      ];
      neuronRows.push(row);
      if (condition !== '') {
        const lists = perNeuron.get(condition) ?? perNeuronMeasures.map(() => []);
        perNeuronMeasures.forEach((m, k) => {
          const v = metric(m.column);
          if (typeof v === 'number' && Number.isFinite(v)) lists[k].push(v);
        });
        perNeuron.set(condition, lists);
      }

      const pxBranches = p?.branches;
      base.branches.forEach((b, k) => {
        branchRows.push([
          ...ident(neuron.id, neuron.name),
          b.id,
          b.parentId,
          b.pathId,
          b.label,
          b.order,
          b.strahler,
          m ? b.length : null,
          b.end,
          ...(px ? [pxBranches?.[k]?.length ?? null] : []),
        ]);
      });

      if (m?.sholl) {
        for (const s of m.sholl.profile) shollRows.push([...ident(neuron.id, neuron.name), s.radius, s.crossings]);
        const g = groups.get(condition);
        if (g) {
          (g.profiles as number[][]).push(m.sholl.profile.map((s) => s.crossings));
          (g.nmax as number[]).push(m.sholl.maxCrossings);
        }
      }
    });
  };

  const perNeuronTables = (): PerNeuronTable[] => {
    const order = [...project.conditions.filter((c) => perNeuron.has(c)), ...[...perNeuron.keys()].filter((c) => !project.conditions.includes(c))];
    return perNeuronMeasures
      .map((m, k) => ({ title: `${m.label} per neuron`, groups: order.map((c) => ({ condition: c, values: perNeuron.get(c)![k] })).filter((g) => g.values.length > 0) }))
      .filter((t) => t.groups.length > 0);
  };

  const finish = (): ExportTables => {
    if (uncalibrated.length > 0)
      warnings.unshift(
        `${plural(uncalibrated.length, 'image')} ${oneOrMany(uncalibrated.length, 'has', 'have')} no pixel size, so ${oneOrMany(uncalibrated.length, 'its', 'their')} lengths and Sholl values are left empty${px ? ' in µm columns (px columns are filled)' : ' (use --px / "include pixel columns" for px values, or set the calibration)'}: ${uncalibrated.join(', ')}.`,
      );
    if (printResolution.length > 0)
      warnings.unshift(
        `${plural(printResolution.length, 'image')} ${oneOrMany(printResolution.length, 'has', 'have')} only a print resolution for ${oneOrMany(printResolution.length, 'its', 'their')} pixel size (from TIFF resolution tags, as image editors save), so ${oneOrMany(printResolution.length, 'its', 'their')} lengths in µm are not a microscope's; set the calibration: ${printResolution.join(', ')}.`,
      );
    if (leftOut.length > 0) warnings.push(`${plural(leftOut.length, 'image')} left out (no rows): ${leftOut.map((l) => `${l.path} (${l.reason})`).join(', ')}.`);
    if (excludedNeurons.length > 0) warnings.push(`${plural(excludedNeurons.length, 'excluded neuron')} left out: ${excludedNeurons.join(', ')}.`);
    if (unassigned.length > 0) warnings.push(`${plural(unassigned.length, 'image')} with neurons ${oneOrMany(unassigned.length, 'has', 'have')} no condition and ${oneOrMany(unassigned.length, 'is', 'are')} left out of the Prism files: ${unassigned.join(', ')}.`);
    const prismGroups = [...groups.values()].filter((g) => g.profiles.length > 0);
    const summary = summarizeSholl(prismGroups, project.sholl.start, project.sholl.step);
    const csv = (name: string, header: string[], rows: CsvValue[][]): ExportFile => ({ name, text: writeCsv(header, rows), rows: rows.length });
    const files: ExportFile[] = [
      csv('neurons.csv', neuronHeader, neuronRows),
      csv('sholl.csv', shollHeader, shollRows),
      csv('branches.csv', branchHeader, branchRows),
      { name: 'prism-sholl-xy.csv', text: prismShollXyCsv(summary), rows: summary.radii.length },
      { name: 'prism-nmax-columns.csv', text: prismNmaxColumnsCsv(prismGroups), rows: Math.max(0, ...prismGroups.map((g) => g.nmax.length)) },
      { name: 'prism-summary.csv', text: prismSummaryCsv(summary), rows: summary.groups.length },
      { name: 'sholl.pzfx', text: prismPzfx(summary, prismGroups, { appVersion: options.appVersion, created: options.now, project: project.name, perNeuron: perNeuronTables() }), rows: null },
    ];
    const dict = dataDictionary(project.columns, px, !!project.agreement);
    files.push(csv('data-dictionary.csv', ['file', 'column', 'unit', 'definition', 'type'], dict.map((d) => [d.file, d.name, d.unit, d.definition, R_TYPE_NAMES[columnRType(d)]])));
    files.push({ name: 'read_ramify.R', text: readRamifyScript(typedCsvs(files, dict), options.appVersion), rows: null });
    return { files, warnings, images, neurons: neuronRows.length, leftOut, ...(options.approvedOnly ? { notApproved } : {}) };
  };
  return { add, finish };
}

const R_TYPE_NAMES: Record<RColumnType, string> = { c: 'character', i: 'integer', d: 'double' };

/**
 * Types of every column of the CSV files: the dictionary's for the neuron, Sholl and branch tables (metadata is
 * text); the Prism tables are numbers except prism-summary's condition names.
 */
function typedCsvs(files: readonly ExportFile[], dict: readonly DictionaryEntry[]): TypedCsv[] {
  const docs = new Map<string, ColumnDoc>();
  for (const d of dict) if (!d.file.startsWith('prism')) docs.set(d.name, d);
  return files
    .filter((f) => f.name.endsWith('.csv') && f.name !== 'data-dictionary.csv')
    .map((f) => {
      const header = parseCsv(f.text)[0] ?? [];
      const type = (name: string): RColumnType => {
        if (f.name.startsWith('prism')) return f.name === 'prism-summary.csv' && name === 'condition' ? 'c' : 'd';
        const doc = docs.get(name);
        return doc ? columnRType(doc) : 'c';
      };
      return { name: f.name, columns: header.map((name) => ({ name, type: type(name) })) };
    })
    .concat([{ name: 'data-dictionary.csv', columns: ['file', 'column', 'unit', 'definition', 'type'].map((name) => ({ name, type: 'c' as const })) }]);
}

/** Builds all tables at once (the service uses the incremental builder for progress and cancellation). */
export function buildExportTables(project: Project, inputs: readonly ExportImageInput[], options: ExportTableOptions): ExportTables {
  const b = createExportBuilder(project, options);
  for (const i of inputs) b.add(i);
  return b.finish();
}

export interface DictionaryEntry extends ColumnDoc {
  /** File(s) the column appears in. */
  file: string;
}

const METRIC_DOCS = new Map(METRIC_COLUMNS.map((c) => [c.name, c]));

/** Every exported column with unit and definition, in file and column order. */
export function dataDictionary(columns: readonly string[] = ['condition'], includePixelColumns = false, includeAgreement = false): DictionaryEntry[] {
  const meta = metadataHeaders(columns).map((name): ColumnDoc => ({ name, unit: 'text', definition: 'Image metadata column from the project (as entered or imported).' }));
  const metric = EXPORT_METRIC_NAMES.map((n) => METRIC_DOCS.get(n) ?? { name: n, unit: '', definition: 'See docs/data-dictionary.md.' });
  const twins = includePixelColumns
    ? PX_TWINS.map((n) => {
        const d = METRIC_DOCS.get(n);
        return { name: pxName(n), unit: pxUnit(d?.unit ?? 'µm'), definition: `${n} in image pixels (filled also for uncalibrated images).` };
      })
    : [];
  const branchPx = includePixelColumns ? [{ name: 'length_px', unit: 'px', definition: 'length_um in image pixels.' }] : [];
  const tag = (file: string, docs: ColumnDoc[]) => docs.map((d) => ({ file, ...d }));
  return [
    ...tag('neurons.csv, sholl.csv, branches.csv', [...IDENTITY_COLUMNS, ...meta]),
    ...tag('neurons.csv', [...NEURON_IMAGE_COLUMNS, ...metric, ...twins, ...NEURON_TRAILING_COLUMNS]),
    ...tag('sholl.csv', SHOLL_COLUMNS),
    ...tag('branches.csv', [...BRANCH_COLUMNS, ...branchPx]),
    ...tag('prism-*.csv', PRISM_COLUMNS),
    ...(includeAgreement ? [...tag('agreement.csv', AGREEMENT_COLUMNS), ...tag('agreement-icc.csv', AGREEMENT_ICC_COLUMNS)] : []),
  ];
}

/** docs/data-dictionary-export.md, generated from the same table (a test keeps the file in sync). */
export function dataDictionaryMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  const lines = [
    '# Export data dictionary',
    '',
    '<!-- Generated from shared/project/export-columns.ts by dataDictionaryMarkdown(); do not edit by hand. -->',
    '',
    '`ramify export PROJECT --out DIR` (and Export in the app) writes these files. Every CSV is UTF-8 without BOM,',
    "comma-separated, CRLF line ends, '.' decimal point, no thousands separators, one header row, units in column",
    'names (`_um`, `_um2`, `_px`), empty cell = missing value. Numbers keep 10 significant digits.',
    '',
    '| file | content |',
    '| --- | --- |',
    '| neurons.csv | one row per neuron: identity, metadata, calibration, morphometrics, Sholl summary, review |',
    '| sholl.csv | long format Sholl profiles: one row per neuron and radius |',
    '| branches.csv | one row per topological branch |',
    '| prism-sholl-xy.csv | Prism XY table, mean/SEM/N per condition at each radius |',
    '| prism-nmax-columns.csv | Prism Column table, per-neuron Nmax with one column per condition |',
    '| prism-summary.csv | per condition: Nmax mean, SEM, N and the peak of the mean Sholl curve |',
    '| sholl.pzfx | the three Prism tables as a Prism project, plus one Column table per compared per-neuron measure (total length, branch points, primary dendrites, tips, critical radius, Σ crossings, maximum order) |',
    '| data-dictionary.csv | this table, for the columns of this export, with each column\'s type |',
    '| read_ramify.R | R function `read_ramify("neurons.csv")` reading any of these CSVs with its column types |',
    '| agreement.csv | projects with an agreement assignment: one row per neuron pair of the two tracers (identity columns as in neurons.csv, then these) |',
    '| agreement-icc.csv | the same projects: ICC(2,1) with 95 % CI and Bland–Altman limits per measure |',
    '',
    'Excluded images and images without neurons contribute no rows; the export summary (and a warning) lists them',
    'with the reason. Images without a pixel size keep their µm and Sholl cells empty (a warning lists them); `--px`',
    'adds `_px` twins of every length column. Metadata columns appear after `condition` under their own names',
    '(prefixed `meta_` if a name clashes with a built-in column).',
    '',
    '**Paths and branches.** A *path* is what was traced in one go (a polyline of the annotation file; the neuron',
    'list counts paths). A *branch* is topological: a stretch of the tree from the soma or a branch point to the next',
    'branch point or tip. One path can hold several branches (a side path splits it) and `path_id` in branches.csv',
    'names the path a branch starts on. Every count and length named "branch" in these files is topological.',
    '',
    '**Traced lines.** Every length and Sholl crossing is measured exactly on the stored polylines (straight edges',
    'between nodes, no smoothing at measurement time). A path Ramify traces (by clicks or automatically) is stored as',
    'an estimate of the neurite\'s centre line (sub-pixel cross-section fit, smoothed along the path, simplified at',
    '0.2 px, the points the user clicked kept exactly), not the pixel path the search walked, whose 1-px jogs would',
    'cross a Sholl circle that a dendrite runs along many times. Details and measured accuracy: docs/data-dictionary.md,',
    '"How traced branches are stored".',
    '',
    '**Column types** (the `type` column of data-dictionary.csv): text columns, `image_id` and `neuron_uid` are',
    'character; other ids and flags are integer; every other number is double; metadata columns are character. R',
    'guesses types from the first rows and reads an empty column as logical NA, so read the CSVs with the',
    '`read_ramify.R` written beside them: `source("read_ramify.R"); neurons <- read_ramify("neurons.csv")` (readr',
    'when installed, base R otherwise). With readr directly, pass `col_types` built from the `type` column.',
    '',
    '| file | column | unit | definition |',
    '| --- | --- | --- | --- |',
    ...dataDictionary(['condition', '<metadata>'], true, true).map((d) => `| ${cell(d.file)} | ${cell(d.name)} | ${cell(d.unit)} | ${cell(d.definition)} |`),
    '',
  ];
  return lines.join('\n');
}
