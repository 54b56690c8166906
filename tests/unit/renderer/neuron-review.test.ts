import { describe, expect, it } from 'vitest';
import { applyAction } from '../../../shared/actions/reducer';
import { emptyDocument, type AnnotationDocument, type BranchId, type NeuronId, type NodeId } from '../../../shared/model/document';
import type { BranchDoubt, DoubtSpot } from '../../../shared/tracing/auto/auto-neuron';
import { keepDoubtful, useAutoTrace } from '../../../renderer/src/tracing/autotrace-session';
import { reviewHint, reviewMove, reviewMoveNow, stepNeuronReview } from '../../../renderer/src/tracing/neuron-review';
import { docStore, neuronOfSelection } from '../../../renderer/src/stores/doc-store';
import { viewer } from '../../../renderer/src/stores/viewer-store';

/**
 * Neuron 1 with paths 2 (nodes 3–4), 5 (6–7) and 8 (9–10) on its soma; neuron 11 with path 12 (13–14); neuron 15 with
 * path 16 (node 17). Ids as the reducer hands them out.
 */
function threeNeurons(): AnnotationDocument {
  let doc = emptyDocument();
  doc = applyAction(doc, { type: 'addNeuron', soma: { kind: 'point', x: 10, y: 10, z: 0 } });
  for (const [x, y] of [[60, 10], [10, 60], [60, 60]]) doc = applyAction(doc, { type: 'addBranch', neuronId: 1, parent: { kind: 'soma' }, nodes: [{ x: (x + 10) / 2, y: (y + 10) / 2 }, { x, y }] });
  doc = applyAction(doc, { type: 'addNeuron', soma: { kind: 'point', x: 300, y: 300, z: 0 } });
  doc = applyAction(doc, { type: 'addBranch', neuronId: 11, parent: { kind: 'soma' }, nodes: [{ x: 320, y: 300 }, { x: 360, y: 300 }] });
  doc = applyAction(doc, { type: 'addNeuron', soma: { kind: 'point', x: 600, y: 40, z: 0 } });
  doc = applyAction(doc, { type: 'addBranch', neuronId: 15, parent: { kind: 'soma' }, nodes: [{ x: 640, y: 40 }] });
  return doc;
}
const ids = (...v: number[]) => v as NeuronId[];
const paths = (...v: number[]) => v as BranchId[];
const doubts = (entries: Array<[number, BranchDoubt[], DoubtSpot[]?]>) => new Map(entries.map(([b, why, spots = []]) => [b as BranchId, { why, spots }]));
const at = (neuron: number, path: number | null, i: number) => ({ neuron: neuron as NeuronId, path: path as BranchId | null, at: i });
const neuronShown = (id: number) => ({ kind: 'neuron', neuronId: id });
const pathShown = (id: number) => ({ kind: 'branch', branchId: id });
/** V (or Shift+V with `accept` false) through the stores, then what is selected and, if given, what awaits review. */
function press(accept: boolean, selected: ReturnType<typeof neuronShown | typeof pathShown>, pending?: number[]): void {
  stepNeuronReview(accept);
  expect(docStore.get().selection).toEqual(selected);
  if (pending) expect(useAutoTrace.getState().pending).toEqual(pending);
}

describe('reviewing traced neurons from the keyboard: V through each neuron and its uncertain paths, Shift+V to the next', () => {
  const doc = threeNeurons();

  it('the fixture has the ids the cases below name', () => {
    expect(doc.neurons.map((n) => [n.id, n.branches.map((b) => [b.id, b.nodes.map((d) => d.id)])])).toEqual([
      [1, [[2, [3, 4]], [5, [6, 7]], [8, [9, 10]]]],
      [11, [[12, [13, 14]]]],
      [15, [[16, [17]]]],
    ]);
  });

  it('the neuron shown is the one the selection is in: the neuron, its path or its node; none for nothing or a deleted one', () => {
    expect(neuronOfSelection(doc, { kind: 'neuron', neuronId: 11 as NeuronId })).toBe(11);
    expect(neuronOfSelection(doc, { kind: 'branch', branchId: 16 as BranchId })).toBe(15);
    expect(neuronOfSelection(doc, { kind: 'node', nodeId: 7 as NodeId })).toBe(1);
    expect(neuronOfSelection(doc, null)).toBe(null);
    expect(neuronOfSelection(doc, { kind: 'neuron', neuronId: 77 as NeuronId })).toBe(null);
    expect(neuronOfSelection(doc, { kind: 'branch', branchId: 77 as BranchId })).toBe(null);
  });

  it('V with none of them shown shows the first; then each uncertain path of it in turn; then accepts it and shows the next neuron', () => {
    expect(reviewMove(ids(11, 1, 15), null, [], true)).toEqual({ kind: 'neuron', show: 11, accept: null });
    expect(reviewMove(ids(11, 1, 15), at(42, null, 0), [], true)).toEqual({ kind: 'neuron', show: 11, accept: null });
    expect(reviewMove(ids(11, 1, 15), at(1, null, 0), paths(2, 8), true)).toEqual({ kind: 'path', show: 2, at: 0 });
    expect(reviewMove(ids(11, 1, 15), at(1, 2, 0), paths(2, 8), true)).toEqual({ kind: 'path', show: 8, at: 1 });
    expect(reviewMove(ids(11, 1, 15), at(1, 8, 1), paths(2, 8), true)).toEqual({ kind: 'neuron', show: 15, accept: 1 });
    // No uncertain path: the neuron shown is accepted at once.
    expect(reviewMove(ids(11, 1, 15), at(11, null, 0), [], true)).toEqual({ kind: 'neuron', show: 1, accept: 11 });
  });

  it('a path deleted or kept after it was shown leaves its place: V goes on to the one that followed it', () => {
    expect(reviewMove(ids(1, 11), at(1, 2, 0), paths(5, 8), true)).toEqual({ kind: 'path', show: 5, at: 0 });
    expect(reviewMove(ids(1, 11), at(1, 8, 2), paths(2, 5), true)).toEqual({ kind: 'neuron', show: 11, accept: 1 });
  });

  it('a neuron that left the review while shown (a path of it deleted: corrected by hand) is still gone through, then the next awaiting review after it', () => {
    const all = ids(1, 11, 15);
    expect(reviewMove(ids(1, 15), at(11, null, 0), paths(12), true, all)).toEqual({ kind: 'path', show: 12, at: 0 });
    expect(reviewMove(ids(1, 15), at(11, 12, 0), paths(12), true, all)).toEqual({ kind: 'neuron', show: 15, accept: null });
    expect(reviewMove(ids(1, 15), at(11, 12, 0), paths(12), false, all)).toEqual({ kind: 'neuron', show: 15, accept: null });
    // The last of the document: round to the first awaiting review; none left: nothing to show.
    expect(reviewMove(ids(1, 11), at(15, null, 0), [], true, all)).toEqual({ kind: 'neuron', show: 1, accept: null });
    expect(reviewMove([], at(15, null, 0), [], true, all)).toEqual({ kind: 'none' });
  });

  it('the last neuron of the list accepted: back to the first left; the only one accepted: the review is done', () => {
    expect(reviewMove(ids(11, 1, 15), at(15, null, 0), [], true)).toEqual({ kind: 'neuron', show: 11, accept: 15 });
    expect(reviewMove(ids(1), at(1, 8, 1), paths(2, 8), true)).toEqual({ kind: 'done', accept: 1 });
    expect(reviewMove([], null, [], true)).toEqual({ kind: 'none' });
  });

  it('Shift+V leaves the neuron shown awaiting review and shows the next, wrapping round, whatever path of it is shown', () => {
    expect(reviewMove(ids(11, 1, 15), at(11, null, 0), [], false)).toEqual({ kind: 'neuron', show: 1, accept: null });
    expect(reviewMove(ids(11, 1, 15), at(15, 16, 0), paths(16), false)).toEqual({ kind: 'neuron', show: 11, accept: null });
    expect(reviewMove(ids(11, 1, 15), null, [], false)).toEqual({ kind: 'neuron', show: 11, accept: null });
  });

  it('through the stores: neuron 1 shown, its uncertain paths one by one (one deleted, one kept), accepted; Shift+V passes 11; the last V leaves none', () => {
    docStore.reset(doc);
    viewer.set({ file: null, info: { width: 800, height: 600 } as ReturnType<typeof viewer.get>['info'], viewport: { width: 800, height: 600 }, camera: { scale: 0.5, x: 0, y: 0 } });
    useAutoTrace.setState({ busy: false, pending: ids(1, 11, 15), asSaved: new Set(), doubtful: doubts([[2, ['gap']], [5, ['faint']], [8, ['contact']], [16, ['gap']]]) });
    // The panel says what the next V does, at each step.
    const hint = () => reviewHint(reviewMoveNow(true));
    expect(hint()).toBe('V shows the first neuron awaiting review.');
    press(true, neuronShown(1));
    expect(hint()).toBe('V shows the next uncertain path of the neuron shown; Shift+V leaves it for later.');
    // Fitted to neuron 1 (10–60 × 10–60 px): closer than the whole image, all of it on screen.
    const { camera } = viewer.get();
    expect(camera.scale).toBeGreaterThan(1);
    expect([10, 60].map((v) => v * camera.scale + camera.x).every((x) => x >= 0 && x <= 800)).toBe(true);
    press(true, pathShown(2));
    // Path 2 centred: its nodes (35, 10) and (60, 10), mid-x 47.5 in the middle of the 800 px view.
    expect(47.5 * viewer.get().camera.scale + viewer.get().camera.x).toBeCloseTo(400, 6);
    // Deleted: nothing selected, and V goes on to path 5 (not back to the neuron or the first).
    docStore.dispatch({ type: 'deleteBranch', branchId: 2 as BranchId });
    expect(docStore.get().selection).toBe(null);
    press(true, pathShown(5));
    // Kept: drawn solid, still selected, and V goes on to path 8.
    keepDoubtful(5 as BranchId);
    press(true, pathShown(8), [1, 11, 15]);
    expect(hint()).toBe('V accepts the neuron shown and shows the next; Shift+V leaves it for later.');
    // Its last uncertain path seen: V accepts neuron 1 and shows 11, which has none.
    press(true, neuronShown(11), [11, 15]);
    expect(hint()).toBe('V accepts the neuron shown and shows the next; Shift+V leaves it for later.');
    press(false, neuronShown(15));
    press(true, pathShown(16));
    press(true, neuronShown(11), [11]);
    expect(hint()).toBe('V accepts the neuron shown: the last awaiting review.');
    stepNeuronReview(true);
    expect(useAutoTrace.getState().pending).toEqual([]);
    expect(hint()).toBe(null);
    // Accepting is no edit: the document is the one with path 2 deleted, nothing more.
    expect(docStore.doc().neurons.map((n) => n.branches.map((b) => b.id))).toEqual([[5, 8], [12], [16]]);
  });

  it('a neuron come back to (left for later) starts at its first uncertain path not yet shown; one shown before it was edited counts as not shown', () => {
    const shown = (...v: number[]) => (id: BranchId) => v.includes(id);
    expect(reviewMove(ids(1, 11), at(1, null, 0), paths(2, 5, 8), true, ids(1, 11), shown(2, 5))).toEqual({ kind: 'path', show: 8, at: 2 });
    expect(reviewMove(ids(1, 11), at(1, null, 0), paths(2, 5, 8), true, ids(1, 11), shown(2, 5, 8))).toEqual({ kind: 'neuron', show: 11, accept: 1 });
    // Once on a path, V goes on from it, seen before or not.
    expect(reviewMove(ids(1, 11), at(1, 2, 0), paths(2, 5, 8), true, ids(1, 11), shown(2, 5))).toEqual({ kind: 'path', show: 5, at: 1 });

    // The same image opened afresh: its paths are new objects, none shown yet.
    docStore.reset(threeNeurons());
    useAutoTrace.setState({ busy: false, pending: ids(1, 11), asSaved: new Set(), doubtful: doubts([[2, ['gap']], [5, ['faint']], [8, ['contact']]]) });
    press(true, neuronShown(1));
    press(true, pathShown(2));
    press(true, pathShown(5));
    press(false, neuronShown(11));
    press(true, neuronShown(1), [1]);
    press(true, pathShown(8));
    // Path 2 edited (a node moved): shown again, the neuron starts at it, not as seen in its old form.
    docStore.dispatch({ type: 'moveNode', nodeId: 3 as NodeId, x: 36, y: 12 });
    press(false, neuronShown(1));
    press(true, pathShown(2));
  });

  it('does nothing while a trace runs (the neurons under review are about to be replaced)', () => {
    docStore.reset(doc);
    useAutoTrace.setState({ busy: true, pending: ids(11, 15) });
    stepNeuronReview(true);
    expect(docStore.get().selection).toBe(null);
    useAutoTrace.setState({ busy: false, pending: [], doubtful: new Map() });
  });
});
