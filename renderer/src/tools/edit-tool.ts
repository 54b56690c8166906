import type { BranchLabel, Soma } from '../../../shared/model/document';
import { hitTest } from '../../../shared/model/hit-test';
import { findBranch, findNeuron, findNode } from '../../../shared/model/queries';
import { reportError } from '../image/image-session';
import { docStore } from '../stores/doc-store';
import { viewer } from '../stores/viewer-store';
import { traceStore } from '../tracing/trace-store';
import { placeSomaOn } from './soma-tool';
import { somaHit } from './trace-tool';

function translateSoma(soma: Soma, dx: number, dy: number): Soma {
  return soma.kind === 'point' ? { ...soma, x: soma.x + dx, y: soma.y + dy } : { ...soma, points: soma.points.map((p) => ({ x: p.x + dx, y: p.y + dy })) };
}

// The edit tool: select a node, path or soma; drag a node or a soma (one undo step per drag); double-click a segment
// to insert a node; keys act on the selection. Join and reattach wait for a click on their target.

/** Zoom (screen px per image px) from which every vertex of a path is drawn, and so can be grabbed. */
export const VERTICES_VISIBLE_SCALE = 4;

type Drag = { kind: 'node'; nodeId: number; key: string } | { kind: 'soma'; neuronId: number; soma: Soma; from: { x: number; y: number }; key: string; moved: boolean };
let drag: Drag | null = null;
let dragSerial = 0;

export const editTool = {
  /** Returns true when the press was used (so it does not pan). */
  down(x: number, y: number, tolerance: number, scale: number): boolean {
    const doc = docStore.doc();
    const pick = traceStore.get().pick;
    // A node is selected by clicking it where it is drawn; a click elsewhere on a path selects the path. A join or
    // reattach target may be any vertex (the nearest one to the click).
    const hit = hitTest(doc, { x, y }, tolerance, pick || scale >= VERTICES_VISIBLE_SCALE ? 'all' : 'markers');
    if (pick) {
      traceStore.set({ pick: null });
      const soma = hit ? undefined : somaHit(doc, x, y, tolerance);
      const before = doc;
      if (hit?.kind === 'node') {
        if (pick.kind === 'join') docStore.dispatch({ type: 'joinTip', branchId: pick.branchId, end: pick.end, targetNodeId: hit.nodeId });
        else docStore.dispatch({ type: 'reparentBranch', branchId: pick.branchId, parent: { kind: 'node', nodeId: hit.nodeId } });
      } else if (soma) {
        if (pick.kind === 'join') docStore.dispatch({ type: 'attachToSoma', branchId: pick.branchId, end: pick.end, neuronId: soma.id });
        else docStore.dispatch({ type: 'reparentBranch', branchId: pick.branchId, parent: { kind: 'soma' } });
      }
      if (docStore.doc() === before) reportError(pick.kind === 'join' ? 'Cannot join there: click a node of another tree or a soma.' : 'Cannot reattach there: click a node outside this path (and the paths on it), or the soma of its neuron.');
      return true;
    }
    if (hit?.kind === 'node') {
      docStore.select({ kind: 'node', nodeId: hit.nodeId });
      drag = { kind: 'node', nodeId: hit.nodeId, key: `drag-${++dragSerial}` };
      return true;
    }
    if (hit?.kind === 'segment') {
      docStore.select({ kind: 'branch', branchId: hit.branchId });
      return true;
    }
    const soma = somaHit(doc, x, y, tolerance);
    if (soma?.soma) {
      docStore.select({ kind: 'neuron', neuronId: soma.id });
      drag = { kind: 'soma', neuronId: soma.id, soma: soma.soma, from: { x, y }, key: `drag-${++dragSerial}`, moved: false };
      return true;
    }
    docStore.select(null);
    return false;
  },
  move(x: number, y: number): boolean {
    if (!drag) return false;
    if (drag.kind === 'node') docStore.dispatch({ type: 'moveNode', nodeId: drag.nodeId, x, y }, { coalesceKey: drag.key });
    else {
      drag.moved = true;
      docStore.dispatch({ type: 'setSoma', neuronId: drag.neuronId, soma: translateSoma(drag.soma, x - drag.from.x, y - drag.from.y) }, { coalesceKey: drag.key, label: 'Move soma' });
    }
    return true;
  },
  up(): void {
    const d = drag;
    drag = null;
    if (!d) return;
    // A moved soma picks up the detached paths that start at its new place, in the same undo step as the move.
    if (d.kind === 'soma' && d.moved) {
      const soma = findNeuron(docStore.doc(), d.neuronId)?.neuron.soma;
      if (soma) placeSomaOn(d.neuronId, soma, 'moved', { coalesceKey: d.key, label: 'Move soma' });
    }
    docStore.endGesture();
  },
  doubleClick(x: number, y: number, tolerance: number): void {
    const hit = hitTest(docStore.doc(), { x, y }, tolerance);
    if (hit?.kind !== 'segment') return;
    const id = docStore.doc().nextId;
    docStore.dispatch({ type: 'insertNode', branchId: hit.branchId, index: hit.segmentIndex, x: hit.point.x, y: hit.point.y });
    docStore.select({ kind: 'node', nodeId: id });
  },
};

/** Commands on the current selection (keyboard and the selection panel). */
export const selectionCommands = {
  /** Delete: a selected node closes its path over it; a selected path goes with the paths on it; a neuron goes whole. */
  delete(): void {
    const sel = docStore.get().selection;
    if (sel?.kind === 'node') docStore.dispatch({ type: 'deleteNode', nodeId: sel.nodeId });
    else if (sel?.kind === 'branch') docStore.dispatch({ type: 'deleteBranch', branchId: sel.branchId });
    else if (sel?.kind === 'neuron') docStore.dispatch({ type: 'deleteNeuron', neuronId: sel.neuronId });
    else nothingSelected();
  },
  /** Shift+Delete: the path holding the selected node (or the selected path), with the paths on it. */
  deleteBranch(): void {
    const id = selectedBranchId();
    if (id !== undefined) docStore.dispatch({ type: 'deleteBranch', branchId: id });
    else nothingSelected();
  },
  split(): void {
    const sel = docStore.get().selection;
    if (sel?.kind !== 'node') return reportError('Select a node to split its path there.');
    const loc = findNode(docStore.doc(), sel.nodeId);
    if (loc) docStore.dispatch({ type: 'splitBranch', branchId: loc.branch.id, nodeId: sel.nodeId });
  },
  /** Join: the selected end node of a detached tracing connects to the next node (or soma) clicked. */
  startJoin(): void {
    const sel = docStore.get().selection;
    const loc = sel?.kind === 'node' ? findNode(docStore.doc(), sel.nodeId) : undefined;
    if (!loc || (loc.index !== 0 && loc.index !== loc.branch.nodes.length - 1)) return reportError('Select the end node of a detached path, then press J and click where it joins.');
    traceStore.set({ pick: { kind: 'join', branchId: loc.branch.id, end: loc.index === 0 ? 'first' : 'last' } });
  },
  startReparent(): void {
    const id = selectedBranchId();
    if (id === undefined) return reportError('Select a path, then press R and click its new parent node or the soma.');
    traceStore.set({ pick: { kind: 'reparent', branchId: id } });
  },
  setLabel(label: BranchLabel): void {
    const id = selectedBranchId();
    if (id !== undefined) docStore.dispatch({ type: 'setBranchLabel', branchId: id, label });
    else nothingSelected();
  },
};

/** A key that acts on the selection says so when there is none, rather than doing nothing. */
function nothingSelected(): void {
  viewer.set({ notice: 'Nothing is selected: with the Edit tool (E), click a line to select its path or a tip or branch-point marker to select the node.' });
}

export function selectedBranchId(): number | undefined {
  const sel = docStore.get().selection;
  const doc = docStore.doc();
  if (sel?.kind === 'branch') return findBranch(doc, sel.branchId)?.branch.id;
  if (sel?.kind === 'node') return findNode(doc, sel.nodeId)?.branch.id;
  return undefined;
}
