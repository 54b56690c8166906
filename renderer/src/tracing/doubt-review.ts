import type { AnnotationDocument, BranchId, NeuronId } from '../../../shared/model/document';
import { findBranch, findNode } from '../../../shared/model/queries';
import type { BranchDoubt, DoubtSpot } from '../../../shared/tracing/auto/auto-neuron';
import { spotsOnPath } from '../../../shared/tracing/auto/doubt-spots';
import { fitBox, fitCamera } from '../image/camera';
import { docStore } from '../stores/doc-store';
import { viewer, type Camera } from '../stores/viewer-store';
import { useAutoTrace, type Doubts } from './autotrace-session';

/**
 * Checking the branches the automatic tracer is unsure of, one after another: U (Shift+U back) selects the next one
 * and brings it to the middle of the view, so the technician judges it at once and deletes it (Delete) or keeps it
 * (drawn solid from then on). On a field of a dozen neurons the dotted branches are otherwise found by scanning.
 */

/** What the panel says of each doubt, ringed on the image where it has a place (`n` spots of it). */
function doubtText(d: BranchDoubt, n: number): string {
  const ringed = n > 0 ? ' (ringed in blue)' : '';
  switch (d) {
    case 'gap':
      return `${n > 1 ? `crosses ${n} dark gaps` : 'crosses a dark gap'}${ringed}`;
    case 'contact':
      return `touches another cell's neurites${ringed}`;
    case 'faint':
      return 'faint along most of its length';
    case 'crossing':
      return `${n > 1 ? `continued across ${n} crossing neurites` : 'continued across a crossing neurite'}${ringed}`;
  }
}

/** The doubtful branches in reading order: neurons as the document lists them, each neuron's paths in order. */
export function doubtOrder(doc: AnnotationDocument, doubts: Doubts): BranchId[] {
  return doc.neurons.flatMap((n) => n.branches.filter((b) => doubts.has(b.id)).map((b) => b.id));
}

/** The doubtful branches of one neuron, in the order of its paths. */
export function neuronDoubtOrder(doc: AnnotationDocument, doubts: Doubts, neuronId: NeuronId): BranchId[] {
  return doubtOrder({ ...doc, neurons: doc.neurons.filter((n) => n.id === neuronId) }, doubts);
}

/**
 * The branch `delta` steps from `current` in `order`, wrapping round. A current branch no longer in the order (deleted
 * or kept) leaves its place: `at`, its index when it was visited, then stands for it, so the next is the one that
 * followed it. From nothing, the first (or the last, going back).
 */
export function stepIn(order: readonly BranchId[], current: BranchId | null, at: number, delta: 1 | -1): BranchId | null {
  const n = order.length;
  if (n === 0) return null;
  const k = current === null ? -1 : order.indexOf(current);
  if (k >= 0) return order[(k + delta + n) % n];
  if (current === null || at < 0) return delta > 0 ? order[0] : order[n - 1];
  return order[(Math.min(at, n) + (delta > 0 ? 0 : -1) + n) % n];
}

/** The branch last brought to view, its index then (see stepIn), and the image it is on (ids start again on another). */
let visited: { id: BranchId; at: number; file: unknown } | null = null;

/**
 * Selects the next (or previous) doubtful branch and centres the view on it, with some of what it joins around it. With
 * a neuron selected, the first (or last) of that neuron's.
 */
export function stepDoubt(delta: 1 | -1): void {
  const doc = docStore.doc();
  const doubts = useAutoTrace.getState().doubtful;
  const order = doubtOrder(doc, doubts);
  const sel = docStore.get().selection;
  const { file } = viewer.get();
  const last = visited?.file === file ? visited : null;
  const current = sel?.kind === 'branch' && order.includes(sel.branchId) ? sel.branchId : (last?.id ?? null);
  // A neuron selected (shown with V, or named in the review list): its own uncertain paths first.
  const own = sel?.kind === 'neuron' ? neuronDoubtOrder(doc, doubts, sel.neuronId) : [];
  const next = own.length > 0 ? (delta > 0 ? own[0] : own[own.length - 1]) : stepIn(order, current, last?.at ?? -1, delta);
  if (next !== null) showDoubt(next);
}

/**
 * The paths brought to view so far, as the document held them: a path edited since is a new object and counts as
 * not seen, and a path traced again with an id handed out before is not taken for the one that had it.
 */
const seen = new WeakSet<object>();

/** Whether the path `id` of `doc`, as it is now, was brought to view by U or V. */
export function wasShown(doc: AnnotationDocument, id: BranchId): boolean {
  const at = findBranch(doc, id);
  return at !== undefined && seen.has(at.branch);
}

/** Selects a doubtful branch and centres the view on it, on its first spot where it has one (U goes on from it). */
export function showDoubt(id: BranchId): void {
  const doc = docStore.doc();
  const at = findBranch(doc, id);
  if (at) seen.add(at.branch);
  visited = { id, at: doubtOrder(doc, useAutoTrace.getState().doubtful).indexOf(id), file: viewer.get().file };
  docStore.select({ kind: 'branch', branchId: id });
  const box = branchBox(doc, id);
  const { viewport, info } = viewer.get();
  if (box) viewer.set({ camera: doubtCamera(box, spotsNow(doc, id, useAutoTrace.getState().doubtful)[0], info, viewport.width, viewport.height) });
}

/**
 * The view of an uncertain path: its first spot in doubt in the middle, the whole path around it (aroundSpot). Never
 * farther out than the whole image: on a path across the field with its spot near one end, the box about the spot
 * doubled the path and the image shrank to a corner of the view. Then the path's own box (the spot, ringed, within
 * it), or the whole image when even that is wider.
 */
function doubtCamera(path: Box, spot: DoubtSpot | undefined, image: { width: number; height: number } | null, vw: number, vh: number): Camera {
  const centred = fitBox(aroundSpot(path, spot), vw, vh);
  if (!image) return centred;
  const whole = fitCamera(image.width, image.height, vw, vh);
  if (centred.scale >= whole.scale) return centred;
  const own = fitBox(path, vw, vh);
  return own.scale >= whole.scale ? own : whole;
}

/** The selected branch when the tracer is unsure of it: its place among the doubtful ones and why. */
export function selectedDoubt(doc: AnnotationDocument, doubts: Doubts, selected: BranchId | null): { index: number; count: number; why: string } | null {
  const d = selected === null ? undefined : doubts.get(selected);
  if (selected === null || !d) return null;
  const order = doubtOrder(doc, doubts);
  const index = order.indexOf(selected);
  const spots = spotsNow(doc, selected, doubts);
  return index < 0 ? null : { index, count: order.length, why: d.why.map((w) => doubtText(w, spots.filter((p) => p.doubt === w).length)).join('; ') };
}

type Box = { x: number; y: number; width: number; height: number };

/** The places the tracer doubted on path `id` that it still passes (spotsOnPath), in order along it. */
function spotsNow(doc: AnnotationDocument, id: BranchId, doubts: Doubts): readonly DoubtSpot[] {
  const at = findBranch(doc, id);
  const spots = doubts.get(id)?.spots;
  if (!at || !spots) return [];
  const p = at.branch.parent;
  return spotsOnPath(at.branch.nodes, spots, p.kind === 'node' ? (findNode(doc, p.nodeId)?.node ?? null) : null);
}

/**
 * The box grown to have the spot in its middle: the view centres on what the tracer doubts (a gap, a crossing) and
 * still shows the whole path.
 */
function aroundSpot(box: Box, spot: DoubtSpot | undefined): Box {
  if (!spot) return box;
  const hw = Math.max(spot.x - box.x, box.x + box.width - spot.x);
  const hh = Math.max(spot.y - box.y, box.y + box.height - spot.y);
  return { x: spot.x - hw, y: spot.y - hh, width: 2 * hw, height: 2 * hh };
}

/**
 * A branch's extent with its start (the node or soma it leaves from) and a margin of a quarter of its size, at least
 * 24 px: enough of the neurites around to judge it.
 */
function branchBox(doc: AnnotationDocument, id: BranchId): Box | null {
  const at = findBranch(doc, id);
  if (!at) return null;
  const points: Array<{ x: number; y: number }> = [...at.branch.nodes];
  const p = at.branch.parent;
  if (p.kind === 'node') {
    const from = findNode(doc, p.nodeId)?.node;
    if (from) points.push(from);
  }
  if (points.length === 0) return null;
  const xs = points.map((q) => q.x);
  const ys = points.map((q) => q.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const margin = Math.max(24, 0.25 * Math.max(x1 - x0, y1 - y0));
  return { x: x0 - margin, y: y0 - margin, width: x1 - x0 + 2 * margin, height: y1 - y0 + 2 * margin };
}
