/**
 * Re-traces a ground-truth tracing branch by branch as a technician would (the issue 14 protocol): clicks on the true
 * centre line every ~60 px of arc length, snapping on, each branch from its start (the soma edge, or the point on the
 * traced parent nearest the true branch point), and compares the Sholl profiles of the traced and the true trees.
 *
 * Two pipelines: 'pixel' is what Ramify stored before centre-line refinement (snapped pixel-centre anchors, the
 * live-wire pixel path simplified by Douglas–Peucker at 0.5 px); 'centreline' is traceClicks, what the app and
 * `ramify trace` store now. Branches whose live-wire pixel path strays from the truth (mean > 1 px or any point
 * > 3 px away, i.e. live-wire took another neurite) are left out of both, with their sub-trees, as the issue asks.
 */
import { readFileSync } from 'node:fs';
import { syntheticNeurons } from '../../../build/tools/synthetic-neuron';
import { measureNeuron, scaleOf } from '../../../shared/analysis';
import { parseNdf } from '../../../shared/formats/ndf';
import { decodeImage } from '../../../shared/image/decode';
import type { AnnotationDocument, Branch, Neuron, TraceNode } from '../../../shared/model/document';
import { distanceToPolyline, meanDistanceToPolyline } from '../../../shared/tracing/path-metrics';
import { pointSegmentDistance2, simplifyPath } from '../../../shared/tracing/simplify';
import { snapToRidge } from '../../../shared/tracing/snap';
import { prepareTracing, SNAP_RADIUS, traceClicks, type TracingPlane } from '../../../shared/tracing/trace-clicks';

type Pt = [number, number];
export type Pipeline = 'pixel' | 'centreline';

/** Clicks along a polyline: its ends and evenly spaced points ~`spacing` px apart. */
export function clicksAlong(line: readonly Pt[], spacing = 60): Pt[] {
  const cum = [0];
  for (let i = 1; i < line.length; i++) cum.push(cum[i - 1] + Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]));
  const total = cum[cum.length - 1];
  const m = Math.max(1, Math.round(total / spacing));
  const out: Pt[] = [];
  let seg = 1;
  for (let k = 0; k <= m; k++) {
    const s = (k * total) / m;
    while (seg < line.length - 1 && cum[seg] < s) seg++;
    const len = cum[seg] - cum[seg - 1];
    const t = len > 0 ? Math.min(1, Math.max(0, (s - cum[seg - 1]) / len)) : 0;
    out.push([line[seg - 1][0] + t * (line[seg][0] - line[seg - 1][0]), line[seg - 1][1] + t * (line[seg][1] - line[seg - 1][1])]);
  }
  return out;
}

/** Ramify's stored nodes before centre-line refinement, for the same clicks (start exact or snapped). */
export function pixelPipeline(tp: TracingPlane, clicks: readonly Pt[], exactStart: boolean): { nodes: Pt[]; raw: Pt[] } {
  const snap = (p: Pt): Pt => snapToRidge(tp.cost, p[0], p[1], SNAP_RADIUS);
  let anchor: Pt = exactStart ? clicks[0] : snap(clicks[0]);
  const nodes: Pt[] = [anchor];
  const raw: Pt[] = [];
  for (let k = 1; k < clicks.length; k++) {
    tp.wire.setAnchor(anchor[0], anchor[1], 0);
    const path = tp.wire.pathTo(...snap(clicks[k]));
    raw.push(...path);
    const stored = simplifyPath(path, 0.5);
    nodes.push(...stored.slice(1));
    anchor = stored[stored.length - 1];
  }
  return { nodes, raw };
}

/** The truth polyline of a branch, parent node first for a branch on a node. */
function truthLine(neuron: Neuron, branch: Branch): Pt[] {
  const line: Pt[] = branch.nodes.map((n) => [n.x, n.y]);
  if (branch.parent.kind === 'node') {
    const id = branch.parent.nodeId;
    const p = neuron.branches.flatMap((b) => b.nodes).find((n) => n.id === id) as TraceNode;
    line.unshift([p.x, p.y]);
  }
  return line;
}

export interface RetracedNeuron {
  name: string;
  /** Branches traced / left out as mis-traced (with their sub-trees). */
  traced: number;
  leftOut: number;
  truth: AnnotationDocument;
  traces: Record<Pipeline, AnnotationDocument>;
  /** Mean distance (px) of the stored lines (sampled every ≤ 1 px) to the true centre line, per pipeline. */
  meanDistance: Record<Pipeline, number>;
}

/** When a live-wire pixel path counts as mis-traced (another neurite): mean or any distance to the truth, px. */
export interface StrayLimits {
  mean: number;
  max: number;
}

/** Re-traces every neuron of `truth` with both pipelines. */
export function retrace(tp: TracingPlane, truth: AnnotationDocument, spacing = 60, stray: StrayLimits = { mean: 1, max: 3 }): RetracedNeuron[] {
  const out: RetracedNeuron[] = [];
  for (const neuron of truth.neurons) {
    const kept: Branch[] = [];
    const keptIds = new Set<number>();
    const nodes: Record<Pipeline, Map<number, TraceNode[]>> = { pixel: new Map(), centreline: new Map() };
    const dist: Record<Pipeline, number[]> = { pixel: [], centreline: [] };
    let nextId = 1;
    const branchOfNode = new Map<number, number>();
    for (const b of neuron.branches) for (const n of b.nodes) branchOfNode.set(n.id, b.id);
    // Where each traced branch hangs: [pipeline] → truth parent node id → traced node id.
    const attach: Record<Pipeline, Map<number, number>> = { pixel: new Map(), centreline: new Map() };
    let leftOut = 0;
    for (const b of neuron.branches) {
      if (b.parent.kind === 'node' && !keptIds.has(branchOfNode.get(b.parent.nodeId) as number)) {
        leftOut++;
        continue;
      }
      const line = truthLine(neuron, b);
      const clicks = clicksAlong(line, spacing);
      const onParent = b.parent.kind === 'node';
      const starts: Record<Pipeline, Pt> = { pixel: clicks[0], centreline: clicks[0] };
      if (onParent) {
        // The technician clicks the true branch point; the branch starts on the traced parent's nearest point.
        const parentId = branchOfNode.get((b.parent as { nodeId: number }).nodeId) as number;
        for (const p of ['pixel', 'centreline'] as const) starts[p] = nearestOn(nodes[p].get(parentId) as TraceNode[], clicks[0]);
      }
      const pixel = pixelPipeline(tp, [starts.pixel, ...clicks.slice(1)], onParent);
      const far = pixel.raw.some((q) => distanceToPolyline(q[0], q[1], line) > stray.max);
      if (far || meanDistanceToPolyline(pixel.raw, line) > stray.mean) {
        leftOut++;
        continue;
      }
      const centre = traceClicks(tp, [{ x: starts.centreline[0], y: starts.centreline[1] }, ...clicks.slice(1).map(([x, y]) => ({ x, y }))], { exactStart: onParent });
      kept.push(b);
      keptIds.add(b.id);
      for (const [p, pts] of [['pixel', pixel.nodes], ['centreline', centre]] as const) {
        let own = pts;
        if (onParent) {
          // The start point is a node inserted on the parent (addBranchOnSegment); the branch's own nodes follow.
          const parentId = branchOfNode.get((b.parent as { nodeId: number }).nodeId) as number;
          const host = nodes[p].get(parentId) as TraceNode[];
          const id = nextId++;
          insertOnPolyline(host, { id, x: pts[0][0], y: pts[0][1], z: 0 });
          attach[p].set(b.id, id);
          own = pts.slice(1);
        }
        nodes[p].set(b.id, own.map(([x, y]) => ({ id: nextId++, x, y, z: 0 })));
        // Distances along the stored line every ≤ 1 px, so that a pipeline storing fewer nodes is not favoured.
        for (const q of densify(pts)) dist[p].push(distanceToPolyline(q[0], q[1], line));
      }
    }
    const doc = (p: Pipeline | null): AnnotationDocument => ({
      calibration: truth.calibration,
      nextId: 1 << 30,
      neurons: [{
        ...neuron,
        branches: kept.map((b) => {
          if (p === null) return b;
          const parent: Branch['parent'] = b.parent.kind === 'node' ? { kind: 'node', nodeId: attach[p].get(b.id) as number } : b.parent;
          return { ...b, parent, nodes: nodes[p].get(b.id) as TraceNode[] };
        }),
      }],
    });
    const mean = (v: number[]) => v.reduce((a, c) => a + c, 0) / Math.max(1, v.length);
    out.push({ name: neuron.name, traced: kept.length, leftOut, truth: doc(null), traces: { pixel: doc('pixel'), centreline: doc('centreline') }, meanDistance: { pixel: mean(dist.pixel), centreline: mean(dist.centreline) } });
  }
  return out;
}

/** The polyline resampled every ≤ 1 px (so that distances weigh length, not node count). */
export function densify(line: readonly Pt[]): Pt[] {
  const out: Pt[] = line.length ? [line[0]] : [];
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1];
    const [bx, by] = line[i];
    const n = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay)));
    for (let k = 1; k <= n; k++) out.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
  }
  return out;
}

function nearestOn(line: readonly TraceNode[], p: Pt): Pt {
  let best: Pt = [line[0].x, line[0].y];
  let bestD = Infinity;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1];
    const b = line[i];
    const d = pointSegmentDistance2(p[0], p[1], a.x, a.y, b.x, b.y);
    if (d < bestD) {
      bestD = d;
      const vx = b.x - a.x;
      const vy = b.y - a.y;
      const len2 = vx * vx + vy * vy;
      const t = len2 > 0 ? Math.max(0, Math.min(1, ((p[0] - a.x) * vx + (p[1] - a.y) * vy) / len2)) : 0;
      best = [a.x + t * vx, a.y + t * vy];
    }
  }
  return best;
}

/** Inserts a node lying on the polyline into it, after the segment it lies on (no-op when it equals a vertex). */
function insertOnPolyline(line: TraceNode[], node: TraceNode): void {
  let bestI = 1;
  let bestD = Infinity;
  for (let i = 1; i < line.length; i++) {
    const d = pointSegmentDistance2(node.x, node.y, line[i - 1].x, line[i - 1].y, line[i].x, line[i].y);
    if (d < bestD) {
      bestD = d;
      bestI = i;
    }
  }
  line.splice(bestI, 0, node);
}

/**
 * For each traced branch point: how far the traced one lies from the true one across the true parent, in px, positive
 * towards the child's side (the parent's 2 nodes either side give its direction, the child's third node its side).
 */
export function branchPointOffsets(r: RetracedNeuron, p: Pipeline): number[] {
  const where = (doc: AnnotationDocument) => {
    const m = new Map<number, { x: number; y: number; branch: number; index: number }>();
    doc.neurons[0].branches.forEach((b, branch) => b.nodes.forEach((n, index) => m.set(n.id, { x: n.x, y: n.y, branch, index })));
    return m;
  };
  const truthNodes = where(r.truth);
  const tracedNodes = where(r.traces[p]);
  const truthBranches = r.truth.neurons[0].branches;
  const tracedBranches = r.traces[p].neurons[0].branches;
  const out: number[] = [];
  truthBranches.forEach((b, k) => {
    const tp = b.parent;
    const cp = tracedBranches[k].parent;
    if (tp.kind !== 'node' || cp.kind !== 'node') return;
    const P = truthNodes.get(tp.nodeId);
    const B = tracedNodes.get(cp.nodeId);
    if (!P || !B) return;
    const host = truthBranches[P.branch].nodes;
    const a = host[Math.max(0, P.index - 2)];
    const c = host[Math.min(host.length - 1, P.index + 2)];
    const len = Math.hypot(c.x - a.x, c.y - a.y);
    const child = b.nodes[Math.min(2, b.nodes.length - 1)];
    const nx = -(c.y - a.y) / len;
    const ny = (c.x - a.x) / len;
    const side = Math.sign((child.x - P.x) * nx + (child.y - P.y) * ny) || 1;
    out.push(side * ((B.x - P.x) * nx + (B.y - P.y) * ny));
  });
  return out;
}

export interface ShollComparison {
  truthNmax: number;
  truthNmaxRadius: number | null;
  nmax: number;
  nmaxRadius: number | null;
  /** Σ|N − N_truth| over radii, and Σ N_truth. */
  absError: number;
  truthSum: number;
  /** True when the truth's Nmax occurs at one radius only, at least 2 above both neighbouring radii (a touch). */
  truthNmaxIsolated: boolean;
  /** Radii sampled, and those more than one crossing off. */
  radii: number;
  offByMoreThanOne: number;
  worst: number;
}

/** Sholl profiles of truth and trace over the same radii (app defaults: from 10 µm every 1 µm). */
export function compareSholl(truth: AnnotationDocument, traced: AnnotationDocument, start = 10, step = 1, last?: number): ShollComparison {
  const scale = scaleOf(truth.calibration);
  const end = last ?? measureNeuron(truth.neurons[0], scale, { sholl: { start, step } }).sholl!.end + 5 * step;
  const t = measureNeuron(truth.neurons[0], scale, { sholl: { start, step, end } }).sholl!;
  const r = measureNeuron(traced.neurons[0], scale, { sholl: { start, step, end } }).sholl!;
  let absError = 0;
  let truthSum = 0;
  let off = 0;
  let worst = 0;
  for (let k = 0; k < t.profile.length; k++) {
    const d = Math.abs(r.profile[k].crossings - t.profile[k].crossings);
    absError += d;
    truthSum += t.profile[k].crossings;
    if (d > 1) off++;
    worst = Math.max(worst, d);
  }
  const at = t.profile.map((q) => q.crossings);
  const peaks = at.flatMap((v, k) => (v === t.maxCrossings ? [k] : []));
  const truthNmaxIsolated = peaks.length === 1 && peaks[0] > 0 && peaks[0] < at.length - 1 && at[peaks[0] - 1] <= t.maxCrossings - 2 && at[peaks[0] + 1] <= t.maxCrossings - 2;
  return { truthNmax: t.maxCrossings, truthNmaxRadius: t.maxCrossingsRadius, truthNmaxIsolated, nmax: r.maxCrossings, nmaxRadius: r.maxCrossingsRadius, absError, truthSum, radii: t.profile.length, offByMoreThanOne: off, worst };
}

const read = (rel: string) => new Uint8Array(readFileSync(new URL(rel, import.meta.url)));

/** The synthetic sets: the bundled sample and five more seeds of its generator. */
export function syntheticSets(): Array<{ name: string; tp: TracingPlane; truth: AnnotationDocument }> {
  const image = decodeImage(read('../../../build/sample/sample-neurons.tif'));
  const truth = JSON.parse(readFileSync(new URL('../../../build/sample/sample-neurons.truth.json', import.meta.url), 'utf8')).document as AnnotationDocument;
  const sets = [{ name: 'sample', tp: prepareTracing(image.planes[0], image.info.width, image.info.height), truth }];
  for (const seed of [1, 2, 3, 4, 5]) {
    const s = syntheticNeurons({ seed });
    sets.push({ name: `seed ${seed}`, tp: prepareTracing(s.channels[0], s.width, s.height), truth: s.truth });
  }
  return sets;
}

/**
 * NeuronJ's four tracings of neurites.tif as one tree: tracing 1 from its first vertex (the Sholl centre), each
 * later tracing hanging on the nearest vertex of an earlier one (2 starts at 1's end, 3 on 2, 4 on 1).
 */
export function ndfTree(): { tp: TracingPlane; truth: AnnotationDocument } {
  const image = decodeImage(read('../../../../shared/data/micrographs/neuronj/neurites.tif'));
  const ndf = parseNdf(readFileSync(new URL('../../../../shared/data/micrographs/neuronj/neurites.ndf', import.meta.url), 'utf8'));
  let id = 1;
  const lines = ndf.tracings.map((t) => t.points.map((p) => ({ id: id++, x: p.x + 0.5, y: p.y + 0.5, z: 0 })));
  const branches: Branch[] = lines.map((nodes, k) => {
    if (k === 0) return { id: id++, label: 'dendrite', parent: { kind: 'soma' }, nodes };
    let best = { d: Infinity, node: 0 };
    for (const n of lines.slice(0, k).flat()) {
      const d = Math.hypot(n.x - nodes[0].x, n.y - nodes[0].y);
      if (d < best.d) best = { d, node: n.id };
    }
    // A tracing that starts on its parent's vertex shares it; else its first vertex is its own first node.
    return { id: id++, label: 'dendrite', parent: { kind: 'node', nodeId: best.node }, nodes: best.d < 1e-9 ? nodes.slice(1) : nodes };
  });
  const soma = lines[0][0];
  const truth: AnnotationDocument = { calibration: null, nextId: id, neurons: [{ id: id++, name: 'NeuronJ', color: '#ffffff', soma: { kind: 'point', x: soma.x, y: soma.y, z: 0 }, branches }] };
  return { tp: prepareTracing(image.planes[0], image.info.width, image.info.height), truth };
}
