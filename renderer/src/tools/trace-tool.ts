import type { NodeInput } from '../../../shared/actions/actions';
import { somaCenter, type AnnotationDocument, type Neuron } from '../../../shared/model/document';
import { hitTest } from '../../../shared/model/hit-test';
import { findBranch, findNeuron } from '../../../shared/model/queries';
import { pointInPolygon } from '../../../shared/actions/soma-catch';
import { reportError } from '../image/image-session';
import { docStore } from '../stores/doc-store';
import { anchorOnShownPlane, requestPath, segmentNow, setAnchor, snapPoint } from '../tracing/live-wire-session';
import { traceStore, type TraceDraft, type TraceStart } from '../tracing/trace-store';

// The trace tool: click to start (on a soma, node or segment, or anywhere), each click fixes an anchor and commits
// the live-wire path to it, Shift gives a straight segment, Enter or double-click ends the path, Backspace removes
// the last segment, Esc cancels the path. All edits of one path fold into one undo step ("Trace path"), so one
// Ctrl+Z removes a finished path however many clicks it took.

/** Screen px within which a click attaches to an existing node or segment. */
export const HIT_TOLERANCE_SCREEN_PX = 7;

let queue: Promise<unknown> = Promise.resolve();
/** Clicks are handled strictly in order, each after the previous one's worker round trips. */
const serial = (f: () => Promise<void>) => {
  queue = queue.then(f).catch((e: Error) => reportError(e.message));
  return queue;
};
export const traceIdle = () => queue;

export function somaHit(doc: AnnotationDocument, x: number, y: number, tolerance: number): Neuron | undefined {
  for (const n of doc.neurons) {
    if (!n.soma) continue;
    if (n.soma.kind === 'polygon' && pointInPolygon(x, y, n.soma.points)) return n;
    const c = somaCenter(n.soma);
    const r = n.soma.kind === 'point' ? Math.max(n.soma.r ?? 0, tolerance) : tolerance;
    if (Math.hypot(c.x - x, c.y - y) <= r) return n;
  }
  return undefined;
}

/**
 * A trace started close to a cell body is a primary dendrite even when the click is outside the drawn soma: a point
 * soma has no size, and technicians start at the visible edge of the stained body. 20 µm covers the soma radius of
 * cultured cortical neurons with margin; uncalibrated images use 40 px.
 */
export function somaCatchRadius(doc: AnnotationDocument): number {
  return doc.calibration ? 20 / doc.calibration.pixelWidth : 40;
}

export function nearestSoma(doc: AnnotationDocument, x: number, y: number, radius: number): Neuron | undefined {
  let best: Neuron | undefined;
  let bestD = radius;
  for (const n of doc.neurons) {
    if (!n.soma) continue;
    const c = somaCenter(n.soma);
    const d = Math.hypot(c.x - x, c.y - y);
    if (d <= bestD) {
      bestD = d;
      best = n;
    }
  }
  return best;
}

const TRACE_LABEL = 'Trace path';
let draftSerial = 0;
const inDraft = (undoKey: string) => ({ coalesceKey: undoKey, label: TRACE_LABEL });
/** True while the newest undo step is exactly this draft's edits. */
const draftStepOpen = (undoKey: string) => docStore.get().history.openKey === undoKey;

/** The neuron new work goes to, created (without soma) when there is none. */
function activeNeuronOrCreate(undoKey: string): number {
  const s = docStore.get();
  if (s.activeNeuronId !== null && findNeuron(docStore.doc(), s.activeNeuronId)) return s.activeNeuronId;
  const id = docStore.doc().nextId;
  docStore.dispatch({ type: 'addNeuron' }, inDraft(undoKey));
  docStore.setActiveNeuron(id);
  return id;
}

async function begin(x: number, y: number, tolerance: number): Promise<void> {
  const doc = docStore.doc();
  const hit = hitTest(doc, { x, y }, tolerance);
  const undoKey = `trace-${++draftSerial}`;
  let start: TraceStart;
  let origin: [number, number];
  if (hit?.kind === 'node') {
    start = { kind: 'node', neuronId: hit.neuronId, nodeId: hit.nodeId };
    origin = [hit.point.x, hit.point.y];
  } else if (hit?.kind === 'segment') {
    start = { kind: 'segment', neuronId: hit.neuronId, branchId: hit.branchId, segmentIndex: hit.segmentIndex };
    origin = [hit.point.x, hit.point.y];
  } else {
    const soma = somaHit(doc, x, y, tolerance) ?? nearestSoma(doc, x, y, somaCatchRadius(doc));
    if (soma) {
      start = { kind: 'soma', neuronId: soma.id };
      // A click near the soma centre starts at the centre; elsewhere on the soma at the click (its edge).
      const c = somaCenter(soma.soma!);
      origin = Math.hypot(c.x - x, c.y - y) <= tolerance / 2 ? [c.x, c.y] : await snapPoint(x, y);
    } else {
      start = { kind: 'free', neuronId: activeNeuronOrCreate(undoKey) };
      origin = await snapPoint(x, y);
    }
  }
  docStore.setActiveNeuron(start.neuronId);
  // The start is stored exactly: an existing node or segment point, the soma centre, or the snapped click.
  await setAnchor(origin[0], origin[1]);
  traceStore.set({ draft: { start, undoKey, origin, branchId: null, segmentSizes: [], anchor: origin, preview: [] } });
}

let reanchorQueued = false;

/** After a move to another slice (or projection, channel, scale) the anchor is searched again on the plane shown. */
async function anchorOnPlaneShown(draft: TraceDraft): Promise<void> {
  if (!anchorOnShownPlane()) await setAnchor(draft.anchor[0], draft.anchor[1]);
}

/** Commits the stretch from the anchor to (x, y) as one action; its nodes take the z of the plane it was traced on. */
async function addSegment(x: number, y: number, straight: boolean): Promise<void> {
  const draft = traceStore.get().draft;
  if (!draft) return;
  await anchorOnPlaneShown(draft);
  // Live-wire or straight, the stretch is snapped and refined to the centre line in the worker (trace-clicks.ts).
  const { points, z } = await segmentNow(x, y, straight);
  // The first point is the anchor, already in the branch (or its start); a zero-length stretch adds nothing.
  const fresh = points.slice(1).filter((p, i, a) => i === 0 ? Math.hypot(p[0] - draft.anchor[0], p[1] - draft.anchor[1]) > 1e-9 : Math.hypot(p[0] - a[i - 1][0], p[1] - a[i - 1][1]) > 1e-9);
  if (fresh.length === 0) return;
  const nodes: NodeInput[] = fresh.map(([px, py]) => ({ x: px, y: py, z }));
  const doc = docStore.doc();
  let branchId = draft.branchId;
  let added = nodes.length;
  const opts = inDraft(draft.undoKey);
  if (branchId === null) {
    const s = draft.start;
    if (s.kind === 'segment') {
      branchId = doc.nextId + 1;
      docStore.dispatch({ type: 'addBranchOnSegment', branchId: s.branchId, segmentIndex: s.segmentIndex, at: { x: draft.origin[0], y: draft.origin[1] }, nodes }, opts);
    } else if (s.kind === 'node') {
      branchId = doc.nextId;
      docStore.dispatch({ type: 'addBranch', neuronId: s.neuronId, parent: { kind: 'node', nodeId: s.nodeId }, nodes }, opts);
    } else {
      // From the soma or from nowhere the start point is the branch's first node.
      const withStart = [{ x: draft.origin[0], y: draft.origin[1], z }, ...nodes];
      added = withStart.length;
      branchId = doc.nextId;
      docStore.dispatch({ type: 'addBranch', neuronId: s.neuronId, parent: s.kind === 'soma' ? { kind: 'soma' } : { kind: 'none' }, nodes: withStart }, opts);
    }
    if (docStore.doc() === doc) throw new Error('Could not start a path there.');
  } else {
    docStore.dispatch({ type: 'extendBranch', branchId, nodes }, opts);
  }
  const end = fresh[fresh.length - 1];
  traceStore.set({ draft: { ...draft, branchId, segmentSizes: [...draft.segmentSizes, added], anchor: end, preview: [] } });
  await setAnchor(end[0], end[1]);
}

export const traceTool = {
  click(x: number, y: number, tolerance: number, straight: boolean): Promise<unknown> {
    return serial(async () => {
      if (!traceStore.get().draft) await begin(x, y, tolerance);
      else await addSegment(x, y, straight);
    });
  },
  move(x: number, y: number, straight: boolean): void {
    const draft = traceStore.get().draft;
    traceStore.set({ hover: [x, y] });
    if (!draft) return;
    if (!reanchorQueued && !anchorOnShownPlane()) {
      reanchorQueued = true;
      // In the click queue, so that it never races a click's own new anchor.
      void serial(async () => {
        try {
          const d = traceStore.get().draft;
          if (d) await anchorOnPlaneShown(d);
        } finally {
          reanchorQueued = false;
        }
      });
    }
    if (straight) {
      traceStore.set({ draft: { ...draft, preview: [draft.anchor, [x, y]] } });
      return;
    }
    requestPath(x, y, (points) => {
      const d = traceStore.get().draft;
      if (d && d.anchor === draft.anchor) traceStore.set({ draft: { ...d, preview: points } });
    });
  },
  /** Enter or double-click: the path is done; its undo step closes. */
  finish(): Promise<unknown> {
    return serial(async () => endDraft());
  },
  /** Backspace: removes the last committed segment (or forgets the start). */
  backspace(): Promise<unknown> {
    return serial(async () => {
      const draft = traceStore.get().draft;
      if (!draft) return;
      if (draft.branchId === null || draft.segmentSizes.length === 0) return traceStore.set({ draft: null });
      const count = draft.segmentSizes.at(-1)!;
      // A branch started on a segment inserted a node there; once the branch is gone, that node is the start.
      const parent = findBranch(docStore.doc(), draft.branchId)?.branch.parent;
      const start: TraceStart = draft.start.kind === 'segment' && parent?.kind === 'node' ? { kind: 'node', neuronId: draft.start.neuronId, nodeId: parent.nodeId } : draft.start;
      docStore.dispatch({ type: 'removeLastNodes', branchId: draft.branchId, count }, inDraft(draft.undoKey));
      const sizes = draft.segmentSizes.slice(0, -1);
      const last = sizes.length ? lastNode(draft.branchId) : undefined;
      const anchor: [number, number] = last ? [last.x, last.y] : draft.origin;
      traceStore.set({ draft: { ...draft, start, branchId: sizes.length ? draft.branchId : null, segmentSizes: sizes, anchor, preview: [] } });
      await setAnchor(anchor[0], anchor[1]);
    });
  },
  /** Switching tools ends a path in progress (what is committed stays, as one undo step). */
  cancelIfIdle(): Promise<unknown> {
    return serial(async () => endDraft());
  },
  /** Esc: the path being traced is removed, with what starting it created (a neuron, a node on a segment). */
  cancel(): Promise<unknown> {
    return serial(async () => {
      const draft = traceStore.get().draft;
      traceStore.set({ draft: null });
      if (!draft) return;
      if (draftStepOpen(draft.undoKey)) docStore.undo();
      else if (draft.branchId !== null) docStore.dispatch({ type: 'deleteBranch', branchId: draft.branchId });
    });
  },
};

function endDraft(): void {
  const draft = traceStore.get().draft;
  traceStore.set({ draft: null });
  if (draft && draftStepOpen(draft.undoKey)) docStore.endGesture();
}

const lastNode = (branchId: number) => findBranch(docStore.doc(), branchId)?.branch.nodes.at(-1);

export type { TraceDraft };
