import { describe, expect, it } from 'vitest';
import { applyAction } from '../../../shared/actions/reducer';
import { emptyDocument, type AnnotationDocument, type BranchId, type NeuronId, type NodeId } from '../../../shared/model/document';
import type { BranchDoubt, DoubtSpot } from '../../../shared/tracing/auto/auto-neuron';
import { startAutoTraceFollow, useAutoTrace } from '../../../renderer/src/tracing/autotrace-session';
import { doubtOrder, selectedDoubt, stepDoubt, stepIn } from '../../../renderer/src/tracing/doubt-review';
import { docStore } from '../../../renderer/src/stores/doc-store';
import { viewer } from '../../../renderer/src/stores/viewer-store';

/**
 * Two neurons: neuron 1 (id 1) has paths 2 (nodes 3–4) and 5 (nodes 6–7), neuron 8 has path 9 (nodes 10–11) on its
 * soma and path 12 (node 13) on node 11. Ids as the reducer hands them out.
 */
function twoNeurons(): AnnotationDocument {
  let doc = emptyDocument();
  doc = applyAction(doc, { type: 'addNeuron', soma: { kind: 'point', x: 10, y: 10, z: 0 } });
  doc = applyAction(doc, { type: 'addBranch', neuronId: 1, parent: { kind: 'soma' }, nodes: [{ x: 20, y: 10 }, { x: 40, y: 10 }] });
  doc = applyAction(doc, { type: 'addBranch', neuronId: 1, parent: { kind: 'soma' }, nodes: [{ x: 10, y: 20 }, { x: 10, y: 60 }] });
  doc = applyAction(doc, { type: 'addNeuron', soma: { kind: 'point', x: 300, y: 300, z: 0 } });
  doc = applyAction(doc, { type: 'addBranch', neuronId: 8, parent: { kind: 'soma' }, nodes: [{ x: 310, y: 300 }, { x: 400, y: 300 }] });
  doc = applyAction(doc, { type: 'addBranch', neuronId: 8, parent: { kind: 'node', nodeId: 11 }, nodes: [{ x: 400, y: 380 }] });
  return doc;
}

const doubts = (entries: Array<[number, BranchDoubt[], DoubtSpot[]?]>) => new Map(entries.map(([b, why, spots = []]) => [b as BranchId, { why, spots }]));

/** The view's scale, and that image point (x, y) is at the middle of the 800 × 600 view. */
function expectView(scale: number, x: number, y: number): void {
  const { camera } = viewer.get();
  expect(camera.scale).toBeCloseTo(scale, 9);
  expect(x * camera.scale + camera.x).toBeCloseTo(400, 9);
  expect(y * camera.scale + camera.y).toBeCloseTo(300, 9);
}

describe('checking the uncertain paths of an automatic trace one after another', () => {
  const doc = twoNeurons();

  it('the fixture has the ids the cases below name', () => {
    expect(doc.neurons.map((n) => [n.id, n.branches.map((b) => b.id)])).toEqual([
      [1, [2, 5]],
      [8, [9, 12]],
    ]);
  });

  it('orders them as the document lists neurons and paths, whatever order the tracer reported them in', () => {
    expect(doubtOrder(doc, doubts([[12, ['gap']], [2, ['faint']], [9, ['contact']]]))).toEqual([2, 9, 12]);
    expect(doubtOrder(doc, doubts([[77, ['gap']]]))).toEqual([]);
  });

  it('steps forward and back, wrapping round; from nothing, to the first or the last', () => {
    const order = [2, 9, 12] as BranchId[];
    expect(stepIn(order, null, -1, 1)).toBe(2);
    expect(stepIn(order, null, -1, -1)).toBe(12);
    expect(stepIn(order, 2 as BranchId, 0, 1)).toBe(9);
    expect(stepIn(order, 12 as BranchId, 2, 1)).toBe(2);
    expect(stepIn(order, 2 as BranchId, 0, -1)).toBe(12);
    expect(stepIn([], null, -1, 1)).toBe(null);
  });

  it('after the path shown is deleted or kept, the next is the one that followed it, and back is the one before', () => {
    // 9 was shown at index 1 and then deleted: the order is now [2, 12].
    const order = [2, 12] as BranchId[];
    expect(stepIn(order, 9 as BranchId, 1, 1)).toBe(12);
    expect(stepIn(order, 9 as BranchId, 1, -1)).toBe(2);
    // The last one gone: forward wraps to the first.
    expect(stepIn([2, 9] as BranchId[], 12 as BranchId, 2, 1)).toBe(2);
  });

  it('says which of them the selected path is and why; nothing for a path the tracer is sure of', () => {
    const d = doubts([[9, ['gap', 'contact']], [2, ['crossing']]]);
    expect(selectedDoubt(doc, d, 9 as BranchId)).toEqual({ index: 1, count: 2, why: "crosses a dark gap; touches another cell's neurites" });
    expect(selectedDoubt(doc, d, 5 as BranchId)).toBe(null);
    expect(selectedDoubt(doc, d, null)).toBe(null);
    // With the places the tracer doubts: ringed on the image, and how many gaps.
    const placed = doubts([
      [9, ['gap', 'faint'], [{ doubt: 'gap', x: 330, y: 300 }, { doubt: 'gap', x: 360, y: 300 }]],
      [12, ['crossing', 'contact'], [{ doubt: 'crossing', x: 400, y: 350 }, { doubt: 'contact', x: 400, y: 370 }]],
    ]);
    expect(selectedDoubt(doc, placed, 9 as BranchId)?.why).toBe('crosses 2 dark gaps (ringed in blue); faint along most of its length');
    expect(selectedDoubt(doc, placed, 12 as BranchId)?.why).toBe("continued across a crossing neurite (ringed in blue); touches another cell's neurites (ringed in blue)");
  });

  it('a path moved off the place the tracer doubted is no longer ringed there; undone, it is again', () => {
    docStore.reset(doc);
    const d = doubts([[9, ['gap'], [{ doubt: 'gap', x: 350, y: 300 }]]]);
    expect(selectedDoubt(docStore.doc(), d, 9 as BranchId)?.why).toBe('crosses a dark gap (ringed in blue)');
    // Path 9 runs from (310, 300) to node 11 at (400, 300); its end dragged to (330, 380), it passes nowhere near x = 350.
    docStore.dispatch({ type: 'moveNode', nodeId: 11 as NodeId, x: 330, y: 380 });
    expect(selectedDoubt(docStore.doc(), d, 9 as BranchId)?.why).toBe('crosses a dark gap');
    docStore.undo();
    expect(selectedDoubt(docStore.doc(), d, 9 as BranchId)?.why).toBe('crosses a dark gap (ringed in blue)');
  });

  it('U centres the view on the first place the tracer doubts, with the whole path still in view', () => {
    docStore.reset(doc);
    viewer.set({ viewport: { width: 800, height: 600 }, camera: { scale: 1, x: 0, y: 0 } });
    useAutoTrace.setState({ doubtful: doubts([[12, ['gap'], [{ doubt: 'gap', x: 400, y: 370 }]]]) });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 12 });
    // Path 12's box (400 ± 24) × (276–404) grown about the gap at (400, 370) to 48 × 188 px (276–464): scale
    // min(4, 752 / 48, 552 / 188) = 2.936…, the gap in the middle of the 800 × 600 view.
    expectView(552 / 188, 400, 370);
    const { camera } = viewer.get();
    // The path's far end (400, 380) and its start (400, 300) are on screen.
    for (const y of [300, 380]) expect(y * camera.scale + camera.y).toBeGreaterThan(0);
    for (const y of [300, 380]) expect(y * camera.scale + camera.y).toBeLessThan(600);
  });

  it('U selects the next one and centres the view on it with its start node; Delete of it, then U, goes on to the one after', () => {
    docStore.reset(doc);
    viewer.set({ viewport: { width: 800, height: 600 }, camera: { scale: 1, x: 0, y: 0 } });
    useAutoTrace.setState({ doubtful: doubts([[2, ['faint']], [12, ['gap']], [5, ['contact']]]) });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 2 });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 5 });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 12 });
    // Path 12 runs from node 11 (400, 300) to (400, 380): box 400–400 × 300–380 with a margin of max(24, 80/4) = 24 px,
    // 48 × 128 px, fitted into 800 × 600 less 48 px: scale min(4, 752/48, 552/128) = 4.3125 → capped at 4.
    const { camera } = viewer.get();
    expect(camera.scale).toBe(4);
    expect(400 * camera.scale + camera.x).toBeCloseTo(400, 9);
    expect(340 * camera.scale + camera.y).toBeCloseTo(300, 9);
    // Path 5 deleted while shown: U goes on to the one after it.
    stepDoubt(-1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 5 });
    docStore.dispatch({ type: 'deleteBranch', branchId: 5 as BranchId });
    useAutoTrace.setState({ doubtful: doubts([[2, ['faint']], [12, ['gap']]]) });
    expect(docStore.get().selection).toBe(null);
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 12 });
    // Another image (its ids start again): U begins at its first uncertain path, not after the last one seen there.
    docStore.reset(doc);
    useAutoTrace.setState({ doubtful: doubts([[2, ['faint']], [12, ['gap']], [5, ['contact']]]) });
    stepDoubt(1);
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 5 });
    docStore.reset(doc);
    viewer.set({ file: { name: 'other.tif' } as unknown as ReturnType<typeof viewer.get>['file'] });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 2 });
  });
});

describe('U from a neuron selected (shown with V or named in the review list)', () => {
  it("goes to that neuron's first uncertain path (Shift+U its last), wherever the last one shown was; then on in reading order", () => {
    docStore.reset(twoNeurons());
    useAutoTrace.setState({ doubtful: doubts([[2, ['faint']], [9, ['gap']], [12, ['contact']]]) });
    // The last path shown (the case above) was 5 or 12: from neuron 1 selected, U still goes to neuron 1's path 2.
    docStore.select({ kind: 'neuron', neuronId: 1 as NeuronId });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 2 });
    docStore.select({ kind: 'neuron', neuronId: 8 as NeuronId });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 9 });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 12 });
    docStore.select({ kind: 'neuron', neuronId: 8 as NeuronId });
    stepDoubt(-1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 12 });
    // A neuron with none: U goes on from the last one shown, as without a selection.
    useAutoTrace.setState({ doubtful: doubts([[2, ['faint']], [12, ['contact']]]) });
    docStore.select({ kind: 'neuron', neuronId: 1 as NeuronId });
    useAutoTrace.setState({ doubtful: doubts([[12, ['contact']]]) });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 12 });
  });
});

describe('an uncertain path leaves the doubts when it leaves the document', () => {
  it('deleted after its neuron was accepted: no longer counted or dotted, so a path drawn later with its id is not; the others stay', () => {
    const stop = startAutoTraceFollow();
    try {
      docStore.reset(twoNeurons());
      useAutoTrace.setState({ pending: [], doubtful: doubts([[5, ['gap']], [12, ['contact']]]) });
      docStore.dispatch({ type: 'deleteBranch', branchId: 5 as BranchId });
      expect([...useAutoTrace.getState().doubtful.keys()]).toEqual([12]);
      // Undo brings the path back, solid: the tracer's doubt went with it.
      docStore.undo();
      expect(docStore.doc().neurons[0].branches.map((b) => b.id)).toEqual([2, 5]);
      expect([...useAutoTrace.getState().doubtful.keys()]).toEqual([12]);
    } finally {
      stop();
    }
  });
  it('U never zooms out past the whole image: a long path with its spot near one end is shown by its own box, or the whole image', () => {
    // One neuron on a 1000 × 600 image in an 800 × 600 view, whose whole-image fit is min(776 / 1000, 576 / 600) = 0.776.
    let long = emptyDocument();
    long = applyAction(long, { type: 'addNeuron', soma: { kind: 'point', x: 280, y: 300, z: 0 } });
    long = applyAction(long, { type: 'addBranch', neuronId: 1, parent: { kind: 'soma' }, nodes: [{ x: 300, y: 300 }, { x: 700, y: 300 }] });
    long = applyAction(long, { type: 'addBranch', neuronId: 1, parent: { kind: 'soma' }, nodes: [{ x: 40, y: 300 }, { x: 960, y: 300 }] });
    docStore.reset(long);
    viewer.set({ viewport: { width: 800, height: 600 }, camera: { scale: 1, x: 0, y: 0 }, info: { width: 1000, height: 600 } as unknown as ReturnType<typeof viewer.get>['info'] });
    // Path 2 (300–700 at y 300): box 200–800 × 200–400 (margin 100); about the gap at (305, 300) it would be 990 px
    // wide, scale 752 / 990 = 0.7596 < 0.776 (it was shown so); its own box instead: min(752 / 600, 552 / 200) = 1.25333.
    useAutoTrace.setState({ doubtful: doubts([[2, ['gap'], [{ doubt: 'gap', x: 305, y: 300 }]]]) });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 2 });
    expectView(752 / 600, 500, 300);
    // Path 5 (40–960): margin 230, its own box 1380 px wide (scale 0.5449), about the gap at (100, 300) 2180 px
    // (0.3449, as it was shown): both past the whole image, which is shown, centred.
    docStore.reset(long);
    useAutoTrace.setState({ doubtful: doubts([[5, ['gap'], [{ doubt: 'gap', x: 100, y: 300 }]]]) });
    stepDoubt(1);
    expect(docStore.get().selection).toEqual({ kind: 'branch', branchId: 5 });
    // The image's centre (500, 300) in the middle: x = 400 − 500 × 0.776 = 12, y = 300 − 300 × 0.776 = 67.2.
    expectView(0.776, 500, 300);
    expect(viewer.get().camera.x).toBeCloseTo(12, 9);
    viewer.set({ info: null });
  });
});
