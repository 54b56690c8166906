/**
 * Scoring automatic traces against public gold standards: the DIADEM metric and Vaa3D's spatial distances (SD, SSD,
 * %SSD), both in image px on the plane. Pure functions, so tests, benches and anyone's script can score a new gold
 * standard (tests/bench/gold-standard.ts is the command-line wrapper).
 */
import { diademMetric, type DiademOptions, type DiademResult, type DiademTree } from '../../analysis/diadem';
import { tracingDistance, type TracingDistance, type TracingSegment } from '../../analysis/tracing-distance';
import { buildNodeTree, scaleOf } from '../../analysis/tree';
import type { DecodedImage } from '../../image/types';
import { somaCenter, type AnnotationDocument, type Neuron } from '../../model/document';
import type { AutoTraceCache } from './prune-trace';
import { autoTraceImage, documentWithNeurons, type AutoTraceRequest } from './run';

/** The trees of a document in document px, flattened onto the plane (z = 0): what a 2D trace can be compared with. */
export function documentTrees(doc: AnnotationDocument): DiademTree[] {
  return doc.neurons
    .map((n) => buildNodeTree(n, scaleOf(null)))
    .filter((t) => t.count > 0)
    .map((t) => ({ x: t.x, y: t.y, z: new Float64Array(t.count), parent: t.parent }));
}

/**
 * Gold trees from NeuronJ tracings (pixel indices, as parsed from .ndf). NeuronJ stores unconnected polylines; a
 * tracing started on an earlier one (its first point within `joinPx` of that tracing's vertices, NeuronJ snapping a
 * new tracing to an existing one) is attached there, so that the tracings of one arbor form one tree.
 */
export function ndfGoldTrees(tracings: ReadonlyArray<{ points: ReadonlyArray<{ x: number; y: number }> }>, joinPx = 3): DiademTree[] {
  const x: number[] = [];
  const y: number[] = [];
  const parent: number[] = [];
  for (const t of tracings) {
    if (t.points.length === 0) continue;
    const sx = t.points[0].x + 0.5;
    const sy = t.points[0].y + 0.5;
    let attach = -1;
    let best = joinPx;
    for (let i = 0; i < x.length; i++) {
      const d = Math.hypot(x[i] - sx, y[i] - sy);
      if (d <= best) {
        best = d;
        attach = i;
      }
    }
    t.points.forEach((p, k) => {
      parent.push(k === 0 ? attach : x.length - 1);
      x.push(p.x + 0.5);
      y.push(p.y + 0.5);
    });
  }
  return splitForest(x, y, parent);
}

/** One tree per root of a parent-pointer forest, nodes renumbered parents first. */
function splitForest(x: number[], y: number[], parent: number[]): DiademTree[] {
  const children: number[][] = x.map(() => []);
  parent.forEach((p, i) => p >= 0 && children[p].push(i));
  const trees: DiademTree[] = [];
  for (let r = 0; r < x.length; r++) {
    if (parent[r] >= 0) continue;
    const order = [r];
    const at = new Map<number, number>([[r, 0]]);
    for (let q = 0; q < order.length; q++) for (const c of children[order[q]]) {
      at.set(c, order.length);
      order.push(c);
    }
    trees.push({ x: order.map((i) => x[i]), y: order.map((i) => y[i]), z: order.map(() => 0), parent: order.map((i) => (parent[i] >= 0 ? (at.get(parent[i]) as number) : -1)) });
  }
  return trees;
}

/**
 * How far each gold tip and each gold branch point lies from the nearest traced one (same units): what DIADEM's XY
 * threshold judges, as distances rather than pass/fail.
 */
export function keyPointErrors(gold: DiademTree, traced: DiademTree): { tips: number[]; forks: number[] } {
  const kinds = (t: DiademTree) => {
    const kids = new Int32Array(t.parent.length);
    for (let i = 0; i < t.parent.length; i++) if (t.parent[i] >= 0) kids[t.parent[i]]++;
    const tips: number[] = [];
    const forks: number[] = [];
    for (let i = 0; i < kids.length; i++) {
      if (t.parent[i] < 0) continue;
      if (kids[i] === 0) tips.push(i);
      else if (kids[i] >= 2) forks.push(i);
    }
    return { tips, forks };
  };
  const g = kinds(gold);
  const t = kinds(traced);
  const nearest = (i: number, among: number[]) => Math.min(...among.map((k) => Math.hypot(gold.x[i] - traced.x[k], gold.y[i] - traced.y[k])));
  return { tips: g.tips.map((i) => nearest(i, t.tips)), forks: g.forks.map((i) => nearest(i, t.forks)) };
}

/** The traced neuron whose cell body lies within `maxPx` of a true neuron's (one traced from that soma), if any. */
export function neuronAtSoma(traced: AnnotationDocument, truth: Neuron, maxPx = 15): Neuron | undefined {
  if (!truth.soma) return undefined;
  const c = somaCenter(truth.soma);
  return traced.neurons.find((n) => n.soma && Math.hypot(somaCenter(n.soma).x - c.x, somaCenter(n.soma).y - c.y) < maxPx);
}

/** The traced tree whose root is nearest to g's root (DIADEM co-registers the roots); null when none was traced. */
export function nearestTree(g: DiademTree, traced: readonly DiademTree[]): DiademTree | null {
  const gr = rootOf(g);
  let best: DiademTree | null = null;
  let bestD = Infinity;
  for (const t of traced) {
    const tr = rootOf(t);
    const d = Math.hypot(t.x[tr] - g.x[gr], t.y[tr] - g.y[gr]);
    if (d < bestD) {
      bestD = d;
      best = t;
    }
  }
  return best;
}

function rootOf(t: DiademTree): number {
  for (let i = 0; i < t.parent.length; i++) if (t.parent[i] < 0) return i;
  return -1;
}

function segmentsOf(trees: readonly DiademTree[]): TracingSegment[] {
  const out: TracingSegment[] = [];
  for (const t of trees) {
    for (let i = 0; i < t.parent.length; i++) {
      const p = t.parent[i];
      if (p >= 0) out.push([t.x[p], t.y[p], t.z[p], t.x[i], t.y[i], t.z[i]]);
    }
  }
  return out;
}

export interface GoldScoreOptions extends DiademOptions {
  /** Distance above which a point counts in SSD and %SSD (px); default 2. */
  ssdThreshold?: number;
}

export interface GoldScore {
  /** DIADEM over all gold trees: Σ matched weight / Σ (gold weight + excess weight). */
  diadem: number;
  /** Per gold tree: the DIADEM result against the traced tree whose root is nearest to its root (null: nothing traced). */
  trees: Array<DiademResult | null>;
  /** Vaa3D spatial distances between all gold and all traced trees. */
  distance: TracingDistance;
}

/**
 * Scores traced trees against gold trees (same units, co-registered). Each gold tree is compared with the traced tree
 * whose root is nearest to its root (DIADEM co-registers the roots); traced trees paired with no gold tree do not
 * enter DIADEM but do enter the spatial distances.
 */
export function scoreAgainstGold(gold: readonly DiademTree[], traced: readonly DiademTree[], options: GoldScoreOptions = {}): GoldScore {
  let matched = 0;
  let total = 0;
  const trees = gold.map((g) => {
    const best = nearestTree(g, traced);
    const r = best ? diademMetric(g, best, options) : null;
    if (r) {
      matched += r.matchedWeight;
      total += r.goldWeight + r.excessWeight;
    } else total += diademMetric(g, g).goldWeight;
    return r;
  });
  return { diadem: total > 0 ? matched / total : 1, trees, distance: tracingDistance(segmentsOf(gold), segmentsOf(traced), options.ssdThreshold ?? 2) };
}

/**
 * How far traced nodes lie from the reconstruction in depth: for each node within `maxXY` px (on the plane) of a gold
 * node, |its z − the nearest gold node's z|, sorted. Both in slices.
 */
export function depthErrors(gold: { x: ArrayLike<number>; y: ArrayLike<number>; z: ArrayLike<number> }, nodes: ReadonlyArray<{ x: number; y: number; z?: number }>, maxXY: number): number[] {
  const out: number[] = [];
  for (const p of nodes) {
    let best = Infinity;
    let k = -1;
    for (let i = 0; i < gold.x.length; i++) {
      const d = Math.hypot(gold.x[i] - p.x, gold.y[i] - p.y);
      if (d < best) [best, k] = [d, i];
    }
    if (k >= 0 && best <= maxXY) out.push(Math.abs(gold.z[k] - (p.z ?? 0)));
  }
  return out.sort((a, b) => a - b);
}

/** Roots of gold trees as document-px seeds (a click at each gold root, as a user would click the soma). */
export function goldRoots(gold: readonly DiademTree[]): Array<{ x: number; y: number }> {
  return gold.map((g) => {
    const r = rootOf(g);
    return { x: g.x[r], y: g.y[r] };
  });
}

export interface GoldRun extends GoldScore {
  traced: DiademTree[];
  /** Click-to-tree time in ms. */
  totalMs: number;
  /** The trace's search, for a re-prune at another detail level (as the slider does). */
  cache: AutoTraceCache;
}

/**
 * Traces `image` (a z-stack on its projection, as autoTraceImage does) from `seeds` (default: the gold roots) and scores the
 * trace against `gold` (document px of the same image).
 */
export function traceAndScore(image: DecodedImage, gold: readonly DiademTree[], request: AutoTraceRequest = {}, options: GoldScoreOptions = {}): GoldRun {
  const seeds = request.seeds ?? goldRoots(gold);
  const out = autoTraceImage(image, { ...request, seeds });
  const traced = documentTrees(documentWithNeurons(out.neurons, null, image.info.calibration ?? null));
  return { ...scoreAgainstGold(gold, traced, options), traced, totalMs: out.timings.totalMs, cache: out.cache };
}
