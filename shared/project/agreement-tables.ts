import { AGREEMENT_MEASURES, compareDocuments, type AgreementMeasure, type DocumentComparison, type NeuronComparison } from '../analysis/agreement';
import { writeCsv, type CsvValue } from '../formats/csv';
import type { AnnotationDocument } from '../model/document';
import { blandAltman, icc21, type BlandAltman, type IccResult } from '../stats/agreement';
import { effectiveCalibration } from './export-tables';
import type { Project, ProjectImage } from './schema';

/**
 * A project's inter-tracer agreement from the two tracers' files of every assigned image: one row per neuron pair
 * (or per neuron only one tracer traced), and per measure ICC(2,1) and Bland–Altman over the pairs.
 */

/** Both tracers' documents of one assigned image (null: that tracer has not saved it yet). */
export interface AgreementImageInput {
  image: ProjectImage;
  a: AnnotationDocument | null;
  b: AnnotationDocument | null;
}

export interface AgreementRow {
  imageId: string;
  /** 'both': a pair; 'only_a' / 'only_b': a neuron the other tracer has no partner for. */
  match: 'both' | 'only_a' | 'only_b';
  unit: 'µm' | 'px';
  threshold: number;
  pair: NeuronComparison | null;
  /** The lone neuron's name for only_a / only_b rows. */
  neuronName?: string;
}

export interface MeasureAgreement {
  measure: AgreementMeasure;
  /** Unit of the values ('count' for counts). */
  unit: string;
  icc: IccResult | null;
  blandAltman: BlandAltman;
}

export interface ProjectAgreement {
  tracers: [string, string];
  /** Assigned images with what each tracer has saved (neurons), in project order. */
  images: Array<{ imageId: string; tracedA: boolean; tracedB: boolean; pairs: number }>;
  rows: AgreementRow[];
  measures: MeasureAgreement[];
  /** Pooled SD / SSD / %SSD means over the pairs (mean of the per-pair values), per unit present. */
  distances: Array<{ unit: 'µm' | 'px'; pairs: number; meanSd: number; meanSsd: number; meanPctSsd: number }>;
  warnings: string[];
}

const LENGTH: AgreementMeasure = 'total_length';

/** Compares every assigned image whose two tracings exist and summarises the project's agreement. */
export function projectAgreement(project: Project, inputs: readonly AgreementImageInput[]): ProjectAgreement {
  const assignment = project.agreement;
  if (!assignment) throw new Error('projectAgreement: the project has no agreement assignment');
  const rows: AgreementRow[] = [];
  const images: ProjectAgreement['images'] = [];
  const warnings: string[] = [];
  const sholl = { start: project.sholl.start, step: project.sholl.step };
  for (const { image, a, b } of inputs) {
    let c: DocumentComparison | null = null;
    if (a && b) {
      const docA = { ...a, calibration: effectiveCalibration(image, a) };
      const docB = { ...b, calibration: effectiveCalibration(image, b) };
      try {
        c = compareDocuments(docA, docB, { sholl });
      } catch (e) {
        warnings.push(`${image.path}: ${(e as Error).message}`);
      }
    }
    images.push({ imageId: image.id, tracedA: !!a && a.neurons.length > 0, tracedB: !!b && b.neurons.length > 0, pairs: c?.pairs.length ?? 0 });
    if (!c) continue;
    const base = { imageId: image.id, unit: c.unit, threshold: c.threshold };
    for (const pair of c.pairs) rows.push({ ...base, match: 'both', pair });
    for (const n of c.unmatchedA) rows.push({ ...base, match: 'only_a', pair: null, neuronName: n.name });
    for (const n of c.unmatchedB) rows.push({ ...base, match: 'only_b', pair: null, neuronName: n.name });
  }
  const pairs = rows.filter((r) => r.pair);
  const units = [...new Set(pairs.map((r) => r.unit))];
  // Lengths in µm and in px cannot share one ICC: µm wins when both occur.
  const lengthUnit = units.includes('µm') ? 'µm' : 'px';
  if (units.length > 1) warnings.push(`Total length agreement uses the ${pairs.filter((r) => r.unit === 'µm').length} pairs of calibrated images only; ${pairs.filter((r) => r.unit === 'px').length} pairs are in px.`);
  const measures = AGREEMENT_MEASURES.map((measure): MeasureAgreement => {
    const used = measure === LENGTH ? pairs.filter((r) => r.unit === lengthUnit) : pairs;
    const a = used.map((r) => r.pair!.counts.a[measure]);
    const b = used.map((r) => r.pair!.counts.b[measure]);
    return { measure, unit: measure === LENGTH ? lengthUnit : 'count', icc: icc21(a.map((v, i) => [v, b[i]])), blandAltman: blandAltman(a, b) };
  });
  const distances = units.map((unit) => {
    const list = pairs.filter((r) => r.unit === unit && r.pair!.distance).map((r) => r.pair!.distance!);
    const mean = (f: (d: (typeof list)[number]) => number) => (list.length ? list.reduce((s, d) => s + f(d), 0) / list.length : NaN);
    return { unit, pairs: list.length, meanSd: mean((d) => d.sd), meanSsd: mean((d) => d.ssd), meanPctSsd: mean((d) => 100 * d.pctSsd) };
  });
  return { tracers: assignment.tracers, images, rows, measures, distances, warnings };
}

/** agreement.csv columns (documented in export-columns.ts AGREEMENT_COLUMNS). */
export const AGREEMENT_HEADER = [
  'project', 'image_file', 'image_id', 'blind_code', 'condition', 'tracer_a', 'tracer_b', 'match', 'neuron_a', 'neuron_b', 'unit', 'threshold',
  'soma_distance', 'sd', 'ssd', 'pct_ssd', 'samples_a', 'samples_b',
  ...AGREEMENT_MEASURES.flatMap((m) => [`${m}_a`, `${m}_b`, `${m}_diff`]),
  'sholl_mean_abs_diff', 'sholl_max_abs_diff',
];

/** agreement-icc.csv columns (documented in export-columns.ts AGREEMENT_ICC_COLUMNS). */
export const AGREEMENT_ICC_HEADER = ['measure', 'unit', 'tracer_a', 'tracer_b', 'n', 'icc', 'ci_low', 'ci_high', 'f', 'df1', 'df2', 'p', 'bias', 'sd_diff', 'loa_lower', 'loa_upper'];

const unitCell = (u: string) => (u === 'µm' ? 'um' : u);

/** The two agreement files of a project export. */
export function agreementCsvFiles(project: Project, agreement: ProjectAgreement): Array<{ name: string; text: string; rows: number }> {
  const byId = new Map(project.images.map((i) => [i.id, i]));
  const [ta, tb] = agreement.tracers;
  const rows = agreement.rows.map((r): CsvValue[] => {
    const img = byId.get(r.imageId)!;
    const p = r.pair;
    const d = p?.distance ?? null;
    const counts = AGREEMENT_MEASURES.flatMap((m) => (p ? [p.counts.a[m], p.counts.b[m], p.counts.diff[m]] : [null, null, null]));
    return [
      project.name, img.path, img.id, project.blinding.key[img.id] ?? '', img.metadata.condition ?? '', ta, tb, r.match,
      p ? p.a.name : r.match === 'only_a' ? r.neuronName : '', p ? p.b.name : r.match === 'only_b' ? r.neuronName : '', unitCell(r.unit), r.threshold,
      p?.somaDistance ?? null, d?.sd ?? null, d?.ssd ?? null, d ? 100 * d.pctSsd : null, d?.aToB.points ?? null, d?.bToA.points ?? null,
      ...counts,
      p?.sholl.meanAbsDiff ?? null, p ? p.sholl.maxAbsDiff : null,
    ];
  });
  const icc = agreement.measures.map((m): CsvValue[] => [
    m.measure, unitCell(m.unit), ta, tb, m.blandAltman.n, m.icc?.icc, m.icc?.ciLow, m.icc?.ciHigh, m.icc?.f, m.icc?.df1, m.icc?.df2, m.icc?.p,
    Number.isFinite(m.blandAltman.bias) ? m.blandAltman.bias : null, m.blandAltman.sd, m.blandAltman.lower, m.blandAltman.upper,
  ]);
  return [
    { name: 'agreement.csv', text: writeCsv(AGREEMENT_HEADER, rows), rows: rows.length },
    { name: 'agreement-icc.csv', text: writeCsv(AGREEMENT_ICC_HEADER, icc), rows: icc.length },
  ];
}
