import { describe, expect, it } from 'vitest';
import { applyAction } from '../../../shared/actions/reducer';
import { emptyDocument, type AnnotationDocument, type BranchId, type NeuronId, type NodeId } from '../../../shared/model/document';
import { useAutoTrace } from '../../../renderer/src/tracing/autotrace-session';
import { neuronOfSelection, reviewStep, stepNeuronReview } from '../../../renderer/src/tracing/neuron-review';
import { docStore } from '../../../renderer/src/stores/doc-store';
import { viewer } from '../../../renderer/src/stores/viewer-store';

/** Neurons 1 (path 2, nodes 3–4), 5 (path 6, nodes 7–8) and 9 (path 10, node 11), ids as the reducer hands them out. */
function threeNeurons(): AnnotationDocument {
  let doc = emptyDocument();
  for (const [x, y] of [[10, 10], [300, 300], [600, 40]]) {
    doc = applyAction(doc, { type: 'addNeuron', soma: { kind: 'point', x, y, z: 0 } });
    const id = doc.neurons[doc.neurons.length - 1].id;
    doc = applyAction(doc, { type: 'addBranch', neuronId: id, parent: { kind: 'soma' }, nodes: x === 600 ? [{ x: 640, y: 40 }] : [{ x: x + 20, y }, { x: x + 60, y }] });
  }
  return doc;
}
const ids = (...v: number[]) => v as NeuronId[];

describe('reviewing traced neurons one after another from the keyboard (V, Shift+V)', () => {
  const doc = threeNeurons();

  it('the fixture has the ids the cases below name', () => {
    expect(doc.neurons.map((n) => [n.id, n.branches.map((b) => [b.id, b.nodes.map((d) => d.id)])])).toEqual([
      [1, [[2, [3, 4]]]],
      [5, [[6, [7, 8]]]],
      [9, [[10, [11]]]],
    ]);
  });

  it('the neuron shown is the one the selection is in: the neuron, its path or its node; none for nothing or a deleted one', () => {
    expect(neuronOfSelection(doc, { kind: 'neuron', neuronId: 5 as NeuronId })).toBe(5);
    expect(neuronOfSelection(doc, { kind: 'branch', branchId: 10 as BranchId })).toBe(9);
    expect(neuronOfSelection(doc, { kind: 'node', nodeId: 4 as NodeId })).toBe(1);
    expect(neuronOfSelection(doc, null)).toBe(null);
    expect(neuronOfSelection(doc, { kind: 'neuron', neuronId: 77 as NeuronId })).toBe(null);
    expect(neuronOfSelection(doc, { kind: 'branch', branchId: 77 as BranchId })).toBe(null);
  });

  it('V with none of them shown shows the first and accepts nothing; then accepts the one shown and shows the one after it', () => {
    expect(reviewStep(ids(5, 1, 9), null, true)).toEqual({ accept: null, show: 5 });
    expect(reviewStep(ids(5, 1, 9), 42 as NeuronId, true)).toEqual({ accept: null, show: 5 });
    expect(reviewStep(ids(5, 1, 9), 1 as NeuronId, true)).toEqual({ accept: 1, show: 9 });
    // The last of the list accepted: back to the first left; the only one accepted: nothing left to show.
    expect(reviewStep(ids(5, 1, 9), 9 as NeuronId, true)).toEqual({ accept: 9, show: 5 });
    expect(reviewStep(ids(1), 1 as NeuronId, true)).toEqual({ accept: 1, show: null });
    expect(reviewStep([], null, true)).toEqual({ accept: null, show: null });
  });

  it('Shift+V leaves the one shown awaiting review and shows the next, wrapping round', () => {
    expect(reviewStep(ids(5, 1, 9), 5 as NeuronId, false)).toEqual({ accept: null, show: 1 });
    expect(reviewStep(ids(5, 1, 9), 9 as NeuronId, false)).toEqual({ accept: null, show: 5 });
    expect(reviewStep(ids(5, 1, 9), null, false)).toEqual({ accept: null, show: 5 });
  });

  it('through the stores: V shows neuron 5 fitted in the view, V on its path accepts it and shows 9, Shift+V passes 9, the last V leaves none awaiting review', () => {
    docStore.reset(doc);
    viewer.set({ info: { width: 800, height: 600 } as ReturnType<typeof viewer.get>['info'], viewport: { width: 800, height: 600 }, camera: { scale: 0.5, x: 0, y: 0 } });
    useAutoTrace.setState({ busy: false, pending: ids(5, 9, 1), asSaved: new Set() });
    stepNeuronReview(true);
    expect(docStore.get().selection).toEqual({ kind: 'neuron', neuronId: 5 });
    expect(useAutoTrace.getState().pending).toEqual([5, 9, 1]);
    // Fitted to neuron 5 (its soma at 300, 300 and its path to 360, 300): closer than the whole image, and centred on it.
    const { camera } = viewer.get();
    expect(camera.scale).toBeGreaterThan(1);
    expect(-camera.x / camera.scale).toBeLessThan(300);
    expect((800 - camera.x) / camera.scale).toBeGreaterThan(360);
    // A path of it selected (as U leaves it) is the neuron shown: V accepts 5 and shows 9.
    docStore.select({ kind: 'branch', branchId: 6 as BranchId });
    stepNeuronReview(true);
    expect(useAutoTrace.getState().pending).toEqual([9, 1]);
    expect(docStore.get().selection).toEqual({ kind: 'neuron', neuronId: 9 });
    stepNeuronReview(false);
    expect(useAutoTrace.getState().pending).toEqual([9, 1]);
    expect(docStore.get().selection).toEqual({ kind: 'neuron', neuronId: 1 });
    stepNeuronReview(true);
    stepNeuronReview(true);
    expect(useAutoTrace.getState().pending).toEqual([]);
    // Accepting changes nothing in the document: no undo step, the neurons as they were.
    expect(docStore.doc()).toBe(doc);
  });

  it('does nothing while a trace runs (the neurons under review are about to be replaced)', () => {
    docStore.reset(doc);
    useAutoTrace.setState({ busy: true, pending: ids(5, 9) });
    stepNeuronReview(true);
    expect(docStore.get().selection).toBe(null);
    useAutoTrace.setState({ busy: false, pending: [] });
  });
});
