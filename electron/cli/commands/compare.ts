import { compareDocuments, totalCounts, type AgreementCounts, type DocumentComparison, type NeuronComparison } from '../../../shared/analysis/agreement';
import type { TracingDistance } from '../../../shared/analysis/tracing-distance';
import { roundNumber } from '../../../shared/formats/csv';
import type { AnnotationDocument } from '../../../shared/model/document';
import { RamifyError, toAppError } from '../../../shared/result';
import { readTracingFile } from '../../services/tracing-import';
import { optionValue, parseArgs, type CliCommand } from '../io';

const USAGE = `Usage: ramify compare A B [--threshold T | --threshold Tpx] [--json]
  Compares two tracings of the same neuron(s), as tracing-agreement studies do (Vaa3D / BigNeuron distances):
  every edge is sampled at floor(1 + length + 0.5) evenly spaced points, each point's distance to the nearest
  segment of the other tracing is taken, and both directions are averaged.
  A, B         .swc (µm), Ramify annotation .json (µm when calibrated, else px) or NeuronJ .ndf (px); files with
               several neurons are paired by soma position (within 30 px)
  --threshold  distance from which a sample counts as "different structure" (SSD, %SSD), in the files' unit;
               with a px suffix, in pixels of the coarser image (default 2px)
  --json       {sd, ssd, pct_ssd, threshold, unit, counts: {a, b, diff}, neurons: [...], unmatched: {a, b}}
  sd: mean distance; ssd: mean of the distances >= threshold; pct_ssd: percent (0-100) of samples >= threshold.
  counts: primary_dendrites, branch_points, tips, total_length, nmax (Sholl maximum) of the paired neurons
  (summed; nmax the largest); diff = b - a. Several pairs: distances pool every pair's samples.
`;

/** Number with an optional px suffix. */
function parseThreshold(raw: string): { threshold?: number; thresholdPx?: number } {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[-+]?\d+)?)\s*(px|um|µm)?\s*$/i.exec(raw);
  if (!m) throw new RamifyError('usage', `--threshold must be a number ≥ 0, optionally with px (got '${raw}').`);
  const v = Number(m[1]);
  return m[2]?.toLowerCase() === 'px' ? { thresholdPx: v } : { threshold: v };
}

async function readDocument(path: string): Promise<AnnotationDocument> {
  // SWC stays in µm (1 µm per "pixel"); annotation files keep their own calibration.
  return (await readTracingFile(path, null)).document;
}

const unitName = (u: 'µm' | 'px') => (u === 'µm' ? 'um' : 'px');

function distanceJson(d: TracingDistance | null) {
  return d ? { sd: d.sd, ssd: d.ssd, pct_ssd: 100 * d.pctSsd } : { sd: null, ssd: null, pct_ssd: null };
}

function pairJson(p: NeuronComparison, u: string) {
  return {
    a: { neuron: p.a.name, neuron_id: p.a.neuronId },
    b: { neuron: p.b.name, neuron_id: p.b.neuronId },
    soma_distance: p.somaDistance,
    ...distanceJson(p.distance),
    samples: p.distance ? { a: p.distance.aToB.points, b: p.distance.bToA.points } : null,
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
    counts: { a, b, diff },
    neurons: c.pairs.map((p) => pairJson(p, u)),
    unmatched: { a: c.unmatchedA.map((n) => n.name), b: c.unmatchedB.map((n) => n.name) },
  };
  return JSON.parse(JSON.stringify(json, (_k, v) => (typeof v === 'number' ? roundNumber(v) : v)));
}

function text(c: DocumentComparison, fileA: string, fileB: string): string {
  const u = unitName(c.unit);
  const f = (v: number | null | undefined) => (v === null || v === undefined ? '—' : String(Number(v.toFixed(3))));
  const lines = [`${fileA} vs ${fileB}: ${c.pairs.length} neuron pair(s), distances in ${u}, threshold ${f(c.threshold)} ${u}`];
  const d = c.pooled;
  lines.push(`  SD ${f(d?.sd)}  SSD ${f(d?.ssd)}  %SSD ${d ? f(100 * d.pctSsd) : '—'}`);
  for (const p of c.pairs) {
    const diff = p.counts.diff;
    lines.push(
      `  ${p.a.name} ↔ ${p.b.name}: SD ${f(p.distance?.sd)}, SSD ${f(p.distance?.ssd)}, %SSD ${p.distance ? f(100 * p.distance.pctSsd) : '—'}; ` +
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
  let threshold: { threshold?: number; thresholdPx?: number } = {};
  try {
    if (positionals.length !== 2) throw new RamifyError('usage', 'expected two tracing files A and B.');
    if (options.has('threshold')) {
      const raw = optionValue(options, 'threshold');
      if (raw === undefined) throw new RamifyError('usage', '--threshold needs a value.');
      threshold = parseThreshold(raw);
    }
    const unknown = [...options.keys()].find((k) => !['json', 'threshold'].includes(k));
    if (unknown) throw new RamifyError('usage', `unknown option --${unknown}.`);
  } catch (e) {
    io.stderr(`ramify compare: ${toAppError(e).message}\n${USAGE}`);
    return 1;
  }
  const [fileA, fileB] = positionals;
  let result: DocumentComparison;
  try {
    const [a, b] = [await readDocument(fileA), await readDocument(fileB)];
    result = compareDocuments(a, b, threshold);
  } catch (e) {
    io.stderr(`ramify compare: ${toAppError(e).message.split('\n')[0]}\n`);
    return 2;
  }
  io.stdout(options.has('json') ? JSON.stringify(comparisonJson(result), null, 2) + '\n' : text(result, fileA, fileB));
  return 0;
};
