import type { Calibration } from '../image/types';
import type { AnnotationDocument, Neuron, NeuronId } from '../model/document';
import { RamifyError } from '../result';
import { diademMetric, type DiademResult } from './diadem';
import { computeMorphometrics } from './morphometrics';
import { computeSholl, type ShollOptions } from './sholl';
import { combineDirections, tracingDistance, treeSegments, type DirectedDistance, type TracingDistance } from './tracing-distance';
import { buildNodeTree, scaleOf, type MeasureScale, type NodeTree } from './tree';

/**
 * Two tracings of the same neurons, compared the way tracing-agreement studies do: the Vaa3D spatial distances
 * (tracing-distance.ts) per neuron pair, the DIADEM metric of B with A as the reference (diadem.ts), plus the
 * differences in the counts a paper reports and in the Sholl profile. Neurons are paired by soma (root) position when
 * the files hold several.
 */

/** The per-neuron measures whose agreement a project reports (ICC, Bland–Altman), in report order. */
export const AGREEMENT_MEASURES = ['primary_dendrites', 'branch_points', 'tips', 'total_length', 'nmax'] as const;
export type AgreementMeasure = (typeof AGREEMENT_MEASURES)[number];
export type AgreementCounts = Record<AgreementMeasure, number>;

/** Tracing distance in px when no threshold is given (Vaa3D's default of 2 voxels). */
export const DEFAULT_THRESHOLD_PX = 2;
/** DIADEM's XY threshold when none is given: the DIADEM program's default, in the tracings' own unit. */
export const DEFAULT_DIADEM_XY = 1.2;
/** Somata farther apart than this (px of the coarser image) are different neurons. */
export const DEFAULT_MAX_SOMA_DISTANCE_PX = 30;

export interface CompareOptions {
  /** Distance threshold of SSD and %SSD, in the comparison's unit (µm when calibrated); default 2 px. */
  threshold?: number;
  /** The threshold in px of the coarser image instead (ignored when `threshold` is given). */
  thresholdPx?: number;
  /** Sholl sampling in the comparison's unit; both profiles use the same radii. Default start 10, step 1. */
  sholl?: Pick<ShollOptions, 'start' | 'step'>;
  /** Largest soma distance of a pair, in the comparison's unit; default 30 px. Ignored when each file holds one neuron. */
  maxSomaDistance?: number;
  /** DIADEM's XY threshold in the comparison's unit; default DEFAULT_DIADEM_XY. */
  diademXy?: number;
  /** …or in px of the coarser image (ignored when `diademXy` is given). */
  diademXyPx?: number;
  /** DIADEM's Z threshold in the comparison's unit; default none (a planar tracing has every z at 0). */
  diademZ?: number;
}

/** DIADEM of B against A over all pairs: the pairs' weights summed, so a neuron counts by its terminations. */
export interface PooledDiadem {
  xyThreshold: number;
  zThreshold: number;
  score: number;
  matchedWeight: number;
  goldWeight: number;
  excessWeight: number;
}

export interface ComparedNeuron {
  neuronId: NeuronId;
  name: string;
}

/** The Sholl profiles of a pair on common radii (the longer profile's), with b − a per radius. */
export interface ShollDifference {
  radii: number[];
  a: number[];
  b: number[];
  /** Mean |b − a| over the radii; null without radii. */
  meanAbsDiff: number | null;
  /** Largest |b − a|; 0 without radii. */
  maxAbsDiff: number;
}

export interface NeuronComparison {
  a: ComparedNeuron;
  b: ComparedNeuron;
  /** Distance between the two roots (soma centres), in the comparison's unit. */
  somaDistance: number;
  /** Vaa3D distances; null when either tracing has no segment. */
  distance: TracingDistance | null;
  /** DIADEM of B with A as the reference (gold); null when either tracing has no node. */
  diadem: DiademResult | null;
  counts: { a: AgreementCounts; b: AgreementCounts; /** b − a. */ diff: AgreementCounts };
  sholl: ShollDifference;
}

export interface DocumentComparison {
  unit: 'µm' | 'px';
  threshold: number;
  /** Pairs in A's neuron order. */
  pairs: NeuronComparison[];
  /** Neurons of either file without a partner (or without anything measurable). */
  unmatchedA: ComparedNeuron[];
  unmatchedB: ComparedNeuron[];
  /** The pairs' distances pooled: every pair's samples count once in its direction (null without any pair). */
  pooled: TracingDistance | null;
  /** The pairs' DIADEM pooled (null without any pair). */
  diadem: PooledDiadem | null;
}

interface Prepared {
  neuron: Neuron;
  tree: NodeTree;
  /** Largest node distance from the root (the Sholl end). */
  reach: number;
}

/**
 * Node trees in the comparison's unit. With `fromCentres`, positions count from pixel (0, 0)'s centre, as SWC does:
 * needed when the two documents' pixels differ (an SWC read without its image, 1 µm per "pixel", against an
 * annotation in µm), where counting from corners would shift one by half a pixel of the other.
 */
function prepare(doc: AnnotationDocument, scale: MeasureScale, fromCentres: boolean): Prepared[] {
  return doc.neurons.map((neuron) => {
    const tree = buildNodeTree(neuron, scale);
    if (fromCentres) {
      for (let i = 0; i < tree.count; i++) {
        tree.x[i] -= 0.5 * scale.x;
        tree.y[i] -= 0.5 * scale.y;
      }
    }
    let reach = 0;
    for (let i = 1; i < tree.count; i++) reach = Math.max(reach, Math.hypot(tree.x[i] - tree.x[0], tree.y[i] - tree.y[0], tree.z[i] - tree.z[0]));
    return { neuron, tree, reach };
  });
}

const rootDistance = (p: Prepared, q: Prepared) => Math.hypot(p.tree.x[0] - q.tree.x[0], p.tree.y[0] - q.tree.y[0], p.tree.z[0] - q.tree.z[0]);

/**
 * Pairs of indices (into a, b): the globally closest roots first, each neuron used once, no pair farther than
 * `maxDistance`. One measurable neuron on each side always pairs.
 */
function matchBySoma(a: readonly Prepared[], b: readonly Prepared[], maxDistance: number): Array<[number, number]> {
  const ia = a.flatMap((p, i) => (p.tree.count > 0 ? [i] : []));
  const ib = b.flatMap((p, i) => (p.tree.count > 0 ? [i] : []));
  if (ia.length === 1 && ib.length === 1) return [[ia[0], ib[0]]];
  const candidates: Array<[number, number, number]> = [];
  for (const i of ia) for (const j of ib) {
    const d = rootDistance(a[i], b[j]);
    if (d <= maxDistance) candidates.push([d, i, j]);
  }
  candidates.sort((p, q) => p[0] - q[0] || p[1] - q[1] || p[2] - q[2]);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const [, i, j] of candidates) {
    if (usedA.has(i) || usedB.has(j)) continue;
    usedA.add(i);
    usedB.add(j);
    out.push([i, j]);
  }
  return out.sort((p, q) => p[0] - q[0]);
}

function countsOf(p: Prepared, scale: MeasureScale, sholl: ShollOptions): { counts: AgreementCounts; profile: number[]; radii: number[] } {
  const m = computeMorphometrics(p.neuron, p.tree, scale).metrics;
  const s = computeSholl(p.tree, scale.unit, m.primaryBranches, sholl);
  return {
    counts: { primary_dendrites: m.primaryBranches, branch_points: m.branchPoints, tips: m.tips, total_length: m.totalLength, nmax: s.maxCrossings },
    profile: s.profile.map((x) => x.crossings),
    radii: s.profile.map((x) => x.radius),
  };
}

function shollDifference(radii: number[], a: number[], b: number[]): ShollDifference {
  const diffs = radii.map((_, k) => Math.abs((b[k] ?? 0) - (a[k] ?? 0)));
  return {
    radii,
    a: radii.map((_, k) => a[k] ?? 0),
    b: radii.map((_, k) => b[k] ?? 0),
    meanAbsDiff: diffs.length ? diffs.reduce((s, v) => s + v, 0) / diffs.length : null,
    maxAbsDiff: diffs.reduce((s, v) => Math.max(s, v), 0),
  };
}

const named = (n: Neuron): ComparedNeuron => ({ neuronId: n.id, name: n.name });

/** Pixel size of the coarser of two calibrations (the px unit of defaults), 1 when uncalibrated. */
function coarsePixel(a: Calibration | null, b: Calibration | null): number {
  const size = (c: Calibration | null) => (c ? Math.max(c.pixelWidth, c.pixelHeight) : 0);
  return Math.max(size(a), size(b)) || 1;
}

/**
 * Compares tracing B against tracing A neuron by neuron (differences are b − a). Both documents must be calibrated
 * (compared in µm) or both uncalibrated (px). Throws RamifyError('usage') when they are not.
 */
export function compareDocuments(a: AnnotationDocument, b: AnnotationDocument, options: CompareOptions = {}): DocumentComparison {
  if (!a.calibration !== !b.calibration)
    throw new RamifyError('usage', 'One tracing is calibrated (µm) and the other is not (px): set the pixel size of both, or of neither, to compare them.');
  const scaleA = scaleOf(a.calibration);
  const scaleB = scaleOf(b.calibration);
  const px = coarsePixel(a.calibration, b.calibration);
  const threshold = options.threshold ?? (options.thresholdPx ?? DEFAULT_THRESHOLD_PX) * px;
  if (!(threshold >= 0) || !Number.isFinite(threshold)) throw new RamifyError('usage', `The distance threshold must be a number ≥ 0 (got ${threshold}).`);
  const diademXy = options.diademXy ?? (options.diademXyPx !== undefined ? options.diademXyPx * px : DEFAULT_DIADEM_XY);
  const diademZ = options.diademZ ?? Infinity;
  if (!(diademXy >= 0) || !Number.isFinite(diademXy)) throw new RamifyError('usage', `The DIADEM XY threshold must be a number ≥ 0 (got ${diademXy}).`);
  if (!(diademZ >= 0)) throw new RamifyError('usage', `The DIADEM Z threshold must be a number ≥ 0 (got ${diademZ}).`);
  const fromCentres = scaleA.x !== scaleB.x || scaleA.y !== scaleB.y;
  const pa = prepare(a, scaleA, fromCentres);
  const pb = prepare(b, scaleB, fromCentres);
  const matched = matchBySoma(pa, pb, options.maxSomaDistance ?? DEFAULT_MAX_SOMA_DISTANCE_PX * px);
  const pairs = matched.map(([i, j]): NeuronComparison => {
    const p = pa[i];
    const q = pb[j];
    const sholl = { start: options.sholl?.start, step: options.sholl?.step, end: Math.max(p.reach, q.reach) };
    const ca = countsOf(p, scaleA, sholl);
    const cb = countsOf(q, scaleB, sholl);
    const sa = treeSegments(p.tree);
    const sb = treeSegments(q.tree);
    const diff = Object.fromEntries(AGREEMENT_MEASURES.map((k) => [k, cb.counts[k] - ca.counts[k]])) as AgreementCounts;
    return {
      a: named(p.neuron),
      b: named(q.neuron),
      somaDistance: rootDistance(p, q),
      distance: sa.length && sb.length ? tracingDistance(sa, sb, threshold) : null,
      diadem: p.tree.count > 0 && q.tree.count > 0 ? diademMetric(p.tree, q.tree, { xyThreshold: diademXy, zThreshold: diademZ }) : null,
      counts: { a: ca.counts, b: cb.counts, diff },
      sholl: shollDifference(ca.radii.length >= cb.radii.length ? ca.radii : cb.radii, ca.profile, cb.profile),
    };
  });
  const inA = new Set(matched.map((m) => m[0]));
  const inB = new Set(matched.map((m) => m[1]));
  return {
    unit: scaleA.unit,
    threshold,
    pairs,
    unmatchedA: pa.filter((_, i) => !inA.has(i)).map((p) => named(p.neuron)),
    unmatchedB: pb.filter((_, j) => !inB.has(j)).map((p) => named(p.neuron)),
    pooled: poolDistances(pairs.flatMap((p) => (p.distance ? [p.distance] : []))),
    diadem: poolDiadem(pairs.flatMap((p) => (p.diadem ? [p.diadem] : [])), diademXy, diademZ),
  };
}

function poolDiadem(list: readonly DiademResult[], xyThreshold: number, zThreshold: number): PooledDiadem | null {
  if (list.length === 0) return null;
  const sum = (f: (d: DiademResult) => number) => list.reduce((s, d) => s + f(d), 0);
  const matchedWeight = sum((d) => d.matchedWeight);
  const goldWeight = sum((d) => d.goldWeight);
  const excessWeight = sum((d) => d.excessWeight);
  const denominator = goldWeight + excessWeight;
  return { xyThreshold, zThreshold, score: denominator > 0 ? matchedWeight / denominator : 1, matchedWeight, goldWeight, excessWeight };
}

function poolDirection(list: readonly DirectedDistance[]): DirectedDistance {
  let points = 0;
  let sum = 0;
  let farPoints = 0;
  let farSum = 0;
  for (const d of list) {
    points += d.points;
    sum += d.meanDistance * d.points;
    farPoints += d.farPoints;
    farSum += d.meanFarDistance * d.farPoints;
  }
  return { points, meanDistance: points ? sum / points : 0, meanFarDistance: farPoints ? farSum / farPoints : 0, farPoints, farFraction: points ? farPoints / points : 0 };
}

/** Several pairs' distances as one comparison (each direction's samples pooled), combined as tracingDistance does. */
export function poolDistances(list: readonly TracingDistance[]): TracingDistance | null {
  if (list.length === 0) return null;
  if (list.length === 1) return list[0];
  return combineDirections(poolDirection(list.map((d) => d.aToB)), poolDirection(list.map((d) => d.bToA)), list[0].threshold);
}

/** Summed counts of the compared neurons of one side (Nmax: the largest), for a whole-file summary. */
export function totalCounts(list: readonly AgreementCounts[]): AgreementCounts {
  const out: AgreementCounts = { primary_dendrites: 0, branch_points: 0, tips: 0, total_length: 0, nmax: 0 };
  for (const c of list) {
    out.primary_dendrites += c.primary_dendrites;
    out.branch_points += c.branch_points;
    out.tips += c.tips;
    out.total_length += c.total_length;
    out.nmax = Math.max(out.nmax, c.nmax);
  }
  return out;
}
