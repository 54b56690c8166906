import { compareDocuments, totalCounts, type AgreementCounts, type CompareOptions, type DocumentComparison, type NeuronComparison } from '../../../shared/analysis/agreement';
import type { DiademResult } from '../../../shared/analysis/diadem';
import type { TracingDistance } from '../../../shared/analysis/tracing-distance';
import { roundNumber } from '../../../shared/formats/csv';
import type { AnnotationDocument } from '../../../shared/model/document';
import { RamifyError, toAppError } from '../../../shared/result';
import { readTracingFile } from '../../services/tracing-import';
import { optionValue, parseArgs, type CliCommand } from '../io';
import { plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify compare A B [--threshold T | --threshold Tpx] [--diadem-xy T | --diadem-xy Tpx] [--diadem-z T] [--json]
  Compares two tracings of the same neuron(s), as tracing-agreement studies do (Vaa3D / BigNeuron distances):
  every edge is sampled at floor(1 + length + 0.5) evenly spaced points, each point's distance to the nearest
  segment of the other tracing is taken, and both directions are averaged. Also scores B with A as the reference
  by the DIADEM metric (Gillette, Brown & Ascoli 2011): branch points and tips of A found in B within the XY
  threshold, with path lengths that agree within 5 %, each weighted by the tips below it; B's extra ones count
  against it.
  A, B         .swc (µm; its px are the voxel size its header states, as Ramify and SNT write it, else 1 µm),
               Ramify annotation .json (µm when calibrated, else px) or NeuronJ .ndf (px); files with several
               neurons are paired by soma position (within 30 px)
  --threshold  distance from which a sample counts as "different structure" (SSD, %SSD), in the files' unit;
               with a px suffix, in pixels of the coarser image (default 2px)
  --diadem-xy  DIADEM's XY threshold in the files' unit, or with px in pixels (default 1.2, DIADEM's own)
  --diadem-z   DIADEM's Z threshold in the files' unit (default: none, as for planar tracings)
  --json       {sd, ssd, pct_ssd, threshold, unit, diadem: {score, xy_threshold, z_threshold, matched_weight,
               gold_weight, excess_weight}, counts: {a, b, diff}, neurons: [...], unmatched: {a, b}}
  sd: mean distance; ssd: mean of the distances >= threshold; pct_ssd: percent (0-100) of samples >= threshold.
  counts: primary_dendrites, branch_points, tips, total_length, nmax (Sholl maximum) of the paired neurons
  (summed; nmax the largest); diff = b - a. Several pairs: distances pool every pair's samples.
`;

/** Number with an optional px suffix. */
function parseLength(option: string, raw: string, px: boolean): { value: number; px: boolean } {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[-+]?\d+)?)\s*(px|um|µm)?\s*$/i.exec(raw);
  if (!m || (!px && m[2]?.toLowerCase() === 'px')) throw new RamifyError('usage', `--${option} must be a number ≥ 0${px ? ', optionally with px' : ''} (got '${raw}').`);
  return { value: Number(m[1]), px: m[2]?.toLowerCase() === 'px' };
}

function parseOptions(options: Map<string, string[]>): CompareOptions {
  const out: CompareOptions = {};
  const value = (name: string) => {
    const raw = optionValue(options, name);
    if (raw === undefined) throw new RamifyError('usage', `--${name} needs a value.`);
    return raw;
  };
  if (options.has('threshold')) {
    const t = parseLength('threshold', value('threshold'), true);
    if (t.px) out.thresholdPx = t.value;
    else out.threshold = t.value;
  }
  if (options.has('diadem-xy')) {
    const t = parseLength('diadem-xy', value('diadem-xy'), true);
    if (t.px) out.diademXyPx = t.value;
    else out.diademXy = t.value;
  }
  if (options.has('diadem-z')) out.diademZ = parseLength('diadem-z', value('diadem-z'), false).value;
  return out;
}

async function readDocument(path: string): Promise<AnnotationDocument> {
  // An SWC is placed by the voxel size its header states (Ramify and SNT write it), else at 1 µm per "pixel";
  // annotation files keep their own calibration. Defaults in px are pixels of those sizes.
  return (await readTracingFile(path, null)).document;
}

const unitName = (u: 'µm' | 'px') => (u === 'µm' ? 'um' : 'px');

function distanceJson(d: TracingDistance | null) {
  return d ? { sd: d.sd, ssd: d.ssd, pct_ssd: 100 * d.pctSsd } : { sd: null, ssd: null, pct_ssd: null };
}

function diademJson(d: DiademResult | null) {
  return d
    ? { score: d.score, matched_weight: d.matchedWeight, gold_weight: d.goldWeight, excess_weight: d.excessWeight, gold_nodes: d.goldNodes, missed: d.misses.length, excess: d.excess.length }
    : null;
}

function pairJson(p: NeuronComparison, u: string) {
  return {
    a: { neuron: p.a.name, neuron_id: p.a.neuronId },
    b: { neuron: p.b.name, neuron_id: p.b.neuronId },
    soma_distance: p.somaDistance,
    ...distanceJson(p.distance),
    samples: p.distance ? { a: p.distance.aToB.points, b: p.distance.bToA.points } : null,
    diadem: diademJson(p.diadem),
    counts: p.counts,
    sholl: { [`radius_${u}`]: p.sholl.radii, a: p.sholl.a, b: p.sholl.b, mean_abs_diff: p.sholl.meanAbsDiff, max_abs_diff: p.sholl.maxAbsDiff },
  };
}

/** The JSON `ramify compare --json` prints (numbers rounded as in CSV). */
export function comparisonJson(c: DocumentComparison) {
  const u = unitName(c.unit);
  const a = totalCounts(c.pairs.map((p) => p.counts.a));
  const b = totalCounts(c.pairs.map((p) => p.counts.b));
  const diff = Object.fromEntries(Object.keys(a).map((k) => [k, b[k as keyof AgreementCounts] - a[k as keyof AgreementCounts]]));
  const json = {
    ...distanceJson(c.pooled),
    threshold: c.threshold,
    unit: u,
    diadem: c.diadem
      ? { score: c.diadem.score, xy_threshold: c.diadem.xyThreshold, z_threshold: Number.isFinite(c.diadem.zThreshold) ? c.diadem.zThreshold : null, matched_weight: c.diadem.matchedWeight, gold_weight: c.diadem.goldWeight, excess_weight: c.diadem.excessWeight }
      : null,
    counts: { a, b, diff },
    neurons: c.pairs.map((p) => pairJson(p, u)),
    unmatched: { a: c.unmatchedA.map((n) => n.name), b: c.unmatchedB.map((n) => n.name) },
  };
  return JSON.parse(JSON.stringify(json, (_k, v) => (typeof v === 'number' ? roundNumber(v) : v)));
}

function text(c: DocumentComparison, fileA: string, fileB: string): string {
  const u = unitName(c.unit);
  const f = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(Number(v.toFixed(3))));
  const lines = [`${fileA} vs ${fileB}: ${plural(c.pairs.length, 'neuron pair')}, distances in ${u}, threshold ${f(c.threshold)} ${u}`];
  const d = c.pooled;
  lines.push(`  SD ${f(d?.sd)}  SSD ${f(d?.ssd)}  %SSD ${d ? f(100 * d.pctSsd) : '—'}`);
  if (c.diadem) lines.push(`  DIADEM of B against A ${f(c.diadem.score)} (XY threshold ${f(c.diadem.xyThreshold)} ${u}; weights matched ${c.diadem.matchedWeight} of ${c.diadem.goldWeight}, extra ${c.diadem.excessWeight})`);
  for (const p of c.pairs) {
    const diff = p.counts.diff;
    lines.push(
      `  ${p.a.name} ↔ ${p.b.name}: SD ${f(p.distance?.sd)}, SSD ${f(p.distance?.ssd)}, %SSD ${p.distance ? f(100 * p.distance.pctSsd) : '—'}, DIADEM ${f(p.diadem?.score)}; ` +
        `B − A: primary ${diff.primary_dendrites}, branch points ${diff.branch_points}, tips ${diff.tips}, length ${f(diff.total_length)} ${u}, Nmax ${diff.nmax}`,
    );
  }
  if (c.unmatchedA.length) lines.push(`  unmatched in A: ${c.unmatchedA.map((n) => n.name).join(', ')}`);
  if (c.unmatchedB.length) lines.push(`  unmatched in B: ${c.unmatchedB.map((n) => n.name).join(', ')}`);
  return lines.join('\n') + '\n';
}

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['json', 'help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  let compareOptions: CompareOptions = {};
  try {
    if (positionals.length !== 2) throw new RamifyError('usage', 'expected two tracing files A and B.');
    const unknown = [...options.keys()].find((k) => !['json', 'threshold', 'diadem-xy', 'diadem-z'].includes(k));
    if (unknown) throw new RamifyError('usage', `unknown option --${unknown}.`);
    compareOptions = parseOptions(options);
  } catch (e) {
    io.stderr(`ramify compare: ${toAppError(e).message}\n${USAGE}`);
    return 1;
  }
  const [fileA, fileB] = positionals;
  let result: DocumentComparison;
  try {
    const [a, b] = [await readDocument(fileA), await readDocument(fileB)];
    result = compareDocuments(a, b, compareOptions);
  } catch (e) {
    io.stderr(`ramify compare: ${toAppError(e).message.split('\n')[0]}\n`);
    return 2;
  }
  io.stdout(options.has('json') ? JSON.stringify(comparisonJson(result), null, 2) + '\n' : text(result, fileA, fileB));
  return 0;
};
