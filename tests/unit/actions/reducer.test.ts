import { describe, expect, it } from 'vitest';
import type { Action } from '../../../shared/actions/actions';
import { applyAction } from '../../../shared/actions/reducer';
import { deepFreeze } from '../../../shared/model/deep-freeze';
import type { AnnotationDocument } from '../../../shared/model/document';
import { nodeTree } from '../../../shared/model/queries';
import { validateDocument } from '../../../shared/model/validate';
import { NONE, SOMA, br, n, onNode, sampleDoc, shape } from './sample-doc';

/** Applies to a frozen input (mutation would throw) and checks the output still satisfies every invariant. */
function run(doc: AnnotationDocument, action: Action): AnnotationDocument {
  const next = applyAction(deepFreeze(doc), action);
  expect(validateDocument(next)).toEqual([]);
  return next;
}

const A = 1;
const B = 19;

describe('neurons', () => {
  it('addNeuron takes nextId, defaults name and cycles colours', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'addNeuron' });
    expect(d1.nextId).toBe(24);
    expect(d1.neurons[2]).toEqual({ id: 23, name: 'Neuron 1', color: '#ff5cf0', soma: null, branches: [] });
    expect(d1.neurons[0]).toBe(d0.neurons[0]);
    const d2 = run(d1, { type: 'addNeuron', name: '  Pyramidal  ', soma: { kind: 'point', x: 1, y: 2, z: 0 } });
    expect(d2.neurons[3]).toEqual({ id: 24, name: 'Pyramidal', color: '#7cff4f', soma: { kind: 'point', x: 1, y: 2, z: 0 }, branches: [] });
    // Eight more: the palette has 8 colours, so the 9th neuron overall wraps to the first colour again.
    let d = emptyWith();
    for (let i = 0; i < 9; i++) d = run(d, { type: 'addNeuron' });
    expect(d.neurons.map((x) => x.color)).toEqual(['#ffd400', '#00e5ff', '#ff5cf0', '#7cff4f', '#ff8c1a', '#a98bff', '#ff4f6a', '#4fffc3', '#ffd400']);
    expect(d.neurons.map((x) => x.name).slice(0, 3)).toEqual(['Neuron 1', 'Neuron 2', 'Neuron 3']);
    // After deleting "Neuron 2" its name and colour are the first free ones.
    d = run(d, { type: 'deleteNeuron', neuronId: d.neurons[1].id });
    d = run(d, { type: 'addNeuron' });
    expect(d.neurons[8]).toMatchObject({ name: 'Neuron 2', color: '#00e5ff' });
  });

  it('rename, colour, delete', () => {
    const d0 = sampleDoc();
    expect(run(d0, { type: 'renameNeuron', neuronId: B, name: 'Granule' }).neurons[1].name).toBe('Granule');
    expect(run(d0, { type: 'setNeuronColor', neuronId: B, color: '#123abc' }).neurons[1].color).toBe('#123abc');
    const d3 = run(d0, { type: 'deleteNeuron', neuronId: A });
    expect(d3.neurons.map((x) => x.id)).toEqual([19]);
    expect(d3.neurons[0]).toBe(d0.neurons[1]);
    expect(d3.nextId).toBe(23);
  });

  it('setSoma replaces, clearSoma removes but keeps soma branches', () => {
    const d0 = sampleDoc();
    const poly = { kind: 'polygon' as const, points: [{ x: 40, y: 40 }, { x: 60, y: 40 }, { x: 50, y: 60 }], z: 0 };
    const d1 = run(d0, { type: 'setSoma', neuronId: A, soma: poly });
    expect(d1.neurons[0].soma).toEqual(poly);
    expect(d1.neurons[0].branches).toBe(d0.neurons[0].branches);
    const d2 = run(d1, { type: 'clearSoma', neuronId: A });
    expect(d2.neurons[0].soma).toBeNull();
    expect(shape(d2, A)[0]).toEqual([2, 'soma', [3, 4, 5, 6]]);
  });
});

function emptyWith(): AnnotationDocument {
  return { neurons: [], nextId: 1, calibration: null };
}

describe('tracing', () => {
  it('addBranch on soma, node and none; ids: branch then nodes; label defaults', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'addBranch', neuronId: A, parent: SOMA, nodes: [{ x: 40, y: 50 }, { x: 30, y: 50, z: 2, r: 1.5 }] });
    expect(d1.neurons[0].branches[5]).toEqual(br(23, SOMA, [n(24, 40, 50), { id: 25, x: 30, y: 50, z: 2, r: 1.5 }]));
    expect(d1.nextId).toBe(26);
    expect(d1.neurons[0].branches.slice(0, 5)).toEqual(d0.neurons[0].branches);
    d0.neurons[0].branches.forEach((b, i) => expect(d1.neurons[0].branches[i]).toBe(b));
    expect(d1.neurons[1]).toBe(d0.neurons[1]);
    // On a node of the detached 'undefined' tracing: label inherited from the parent branch.
    const d2 = run(d0, { type: 'addBranch', neuronId: A, parent: onNode(15), nodes: [{ x: 230, y: 200 }] });
    expect(d2.neurons[0].branches[5]).toEqual(br(23, onNode(15), [n(24, 230, 200)], 'undefined'));
    const d3 = run(d0, { type: 'addBranch', neuronId: A, parent: NONE, nodes: [{ x: 5, y: 5 }], label: 'custom:spine' });
    expect(d3.neurons[0].branches[5]).toEqual(br(23, NONE, [n(24, 5, 5)], 'custom:spine'));
  });

  it('addBranchOnSegment inserts the fork node on the segment and starts the branch there, in one action', () => {
    const d0 = sampleDoc();
    // Segment 2 of B2 runs from node 4 (70,50) to node 5 (80,50).
    const d1 = run(d0, { type: 'addBranchOnSegment', branchId: 2, segmentIndex: 2, at: { x: 75, y: 50 }, nodes: [{ x: 75, y: 40 }, { x: 75, y: 30 }] });
    expect(shape(d1, A)).toEqual([
      [2, 'soma', [3, 4, 23, 5, 6]],
      [7, 'node 4', [8, 9]],
      [10, 'node 9', [11]],
      [12, 'none', [13, 14, 15]],
      [16, 'node 14', [17, 18]],
      [24, 'node 23', [25, 26]],
    ]);
    expect(d1.neurons[0].branches[0].nodes[2]).toEqual(n(23, 75, 50));
    expect(d1.neurons[0].branches[5].nodes).toEqual([n(25, 75, 40), n(26, 75, 30)]);
    expect(d1.nextId).toBe(27);
    // Segment 0 of B7 starts at its parent node 4 (70,50) and ends at node 8 (70,60).
    const d2 = run(d0, { type: 'addBranchOnSegment', branchId: 7, segmentIndex: 0, at: { x: 70, y: 55 }, nodes: [{ x: 60, y: 55 }] });
    expect(shape(d2, A)[1]).toEqual([7, 'node 4', [23, 8, 9]]);
    expect(shape(d2, A)[5]).toEqual([24, 'node 23', [25]]);
  });

  it('insertNode interpolates z and r along the segment', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'insertNode', branchId: 2, index: 1, x: 62, y: 50 });
    expect(shape(d1, A)[0]).toEqual([2, 'soma', [3, 23, 4, 5, 6]]);
    const withZ: AnnotationDocument = {
      neurons: [{ id: 1, name: 'z', color: '#ffffff', soma: null, branches: [br(2, NONE, [{ id: 3, x: 0, y: 0, z: 0, r: 1 }, { id: 4, x: 10, y: 0, z: 4, r: 3 }])] }],
      nextId: 5,
      calibration: null,
    };
    // (2.5, 1) projects at t = 0.25: z = 1, r = 1.5; the node keeps the clicked x, y.
    const d2 = run(withZ, { type: 'insertNode', branchId: 2, index: 1, x: 2.5, y: 1 });
    expect(d2.neurons[0].branches[0].nodes[1]).toEqual({ id: 5, x: 2.5, y: 1, z: 1, r: 1.5 });
  });

  it('extendBranch appends; removeLastNodes removes from the tip', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'extendBranch', branchId: 20, nodes: [{ x: 340, y: 305 }, { x: 350, y: 310 }] });
    expect(shape(d1, B)).toEqual([[20, 'soma', [21, 22, 23, 24]]]);
    expect(d1.neurons[0]).toBe(d0.neurons[0]);
    const d2 = run(d1, { type: 'removeLastNodes', branchId: 20, count: 2 });
    expect(d2.neurons[1].branches[0].nodes).toEqual(d0.neurons[1].branches[0].nodes);
    expect(d2.nextId).toBe(25);
  });

  it('removeLastNodes moves branches on removed nodes to the last kept node, or deletes the branch', () => {
    const d0 = sampleDoc();
    // B7's last node 9 carries B10.
    const d1 = run(d0, { type: 'removeLastNodes', branchId: 7, count: 1 });
    expect(shape(d1, A).slice(1, 3)).toEqual([[7, 'node 4', [8]], [10, 'node 8', [11]]]);
    const d2 = run(d0, { type: 'removeLastNodes', branchId: 7, count: 2 });
    expect(shape(d2, A).slice(1, 2)).toEqual([[10, 'node 4', [11]]]);
  });

  it('moveNode changes x, y only and shares everything else', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'moveNode', nodeId: 4, x: 71.5, y: 48 });
    const b0 = d0.neurons[0].branches[0];
    const b1 = d1.neurons[0].branches[0];
    expect(b1.nodes[1]).toEqual(n(4, 71.5, 48));
    expect(b1.nodes.filter((_, i) => i !== 1).every((x, i) => x === b0.nodes.filter((_, j) => j !== 1)[i])).toBe(true);
    expect(d1.neurons[0].branches.slice(1).every((b, i) => b === d0.neurons[0].branches[i + 1])).toBe(true);
    expect(d1.neurons[1]).toBe(d0.neurons[1]);
    expect(d1.nextId).toBe(23);
  });
});

describe('deleteNode re-attachment', () => {
  it('middle node: the branch closes over it and branches on it move to the previous node', () => {
    const d1 = run(sampleDoc(), { type: 'deleteNode', nodeId: 4 });
    expect(shape(d1, A).slice(0, 2)).toEqual([[2, 'soma', [3, 5, 6]], [7, 'node 3', [8, 9]]]);
  });

  it("first node: branches on it move to the branch's own parent (soma, node or none)", () => {
    const mk = (parent: ReturnType<typeof onNode>): AnnotationDocument => ({
      neurons: [{
        id: 1, name: 'x', color: '#ffffff', soma: { kind: 'point', x: 0, y: 0, z: 0 },
        branches: [br(2, SOMA, [n(3, 10, 0)]), br(4, parent, [n(5, 20, 0), n(6, 30, 0)]), br(7, onNode(5), [n(8, 20, 10)])],
      }],
      nextId: 9,
      calibration: null,
    });
    expect(shape(run(mk(SOMA), { type: 'deleteNode', nodeId: 5 }), 1).slice(1)).toEqual([[4, 'soma', [6]], [7, 'soma', [8]]]);
    expect(shape(run(mk(NONE), { type: 'deleteNode', nodeId: 5 }), 1).slice(1)).toEqual([[4, 'none', [6]], [7, 'none', [8]]]);
    expect(shape(run(mk(onNode(3)), { type: 'deleteNode', nodeId: 5 }), 1).slice(1)).toEqual([[4, 'node 3', [6]], [7, 'node 3', [8]]]);
  });

  it("only node: the branch goes and branches on it move to the branch's parent", () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'deleteNode', nodeId: 11 });
    expect(shape(d1, A).map((b) => b[0])).toEqual([2, 7, 12, 16]);
    const d2 = run(run(d0, { type: 'addBranch', neuronId: A, parent: onNode(11), nodes: [{ x: 80, y: 90 }] }), { type: 'deleteNode', nodeId: 11 });
    expect(shape(d2, A).slice(2)).toEqual([[12, 'none', [13, 14, 15]], [16, 'node 14', [17, 18]], [23, 'node 9', [24]]]);
  });
});

describe('branches', () => {
  it('deleteBranch removes all sub-branches recursively', () => {
    const d0 = sampleDoc();
    expect(shape(run(d0, { type: 'deleteBranch', branchId: 2 }), A).map((b) => b[0])).toEqual([12, 16]);
    expect(shape(run(d0, { type: 'deleteBranch', branchId: 7 }), A).map((b) => b[0])).toEqual([2, 12, 16]);
    expect(shape(run(d0, { type: 'deleteBranch', branchId: 16 }), A).map((b) => b[0])).toEqual([2, 7, 10, 12]);
  });

  it('splitBranch: nodes after the split node become a branch on it; the node tree is unchanged', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'splitBranch', branchId: 2, nodeId: 4 });
    expect(shape(d1, A).slice(0, 3)).toEqual([[2, 'soma', [3, 4]], [23, 'node 4', [5, 6]], [7, 'node 4', [8, 9]]]);
    expect(d1.neurons[0].branches[1].label).toBe('dendrite');
    expect(nodeTree(d1.neurons[0]).parentOf).toEqual(nodeTree(d0.neurons[0]).parentOf);
    expect(d1.nextId).toBe(24);
  });

  it('mergeBranchIntoParent undoes a split', () => {
    const d0 = sampleDoc();
    const d2 = run(run(d0, { type: 'splitBranch', branchId: 2, nodeId: 4 }), { type: 'mergeBranchIntoParent', branchId: 23 });
    expect({ ...d2, nextId: 23 }).toEqual(d0);
    // B10 starts at B7's last node 9: merging makes B7 = 8, 9, 11.
    expect(shape(run(d0, { type: 'mergeBranchIntoParent', branchId: 10 }), A).slice(1, 3)).toEqual([[7, 'node 4', [8, 9, 11]], [12, 'none', [13, 14, 15]]]);
  });

  it('joinTip by the first node attaches a detached tracing as it is', () => {
    const d1 = run(sampleDoc(), { type: 'joinTip', branchId: 12, end: 'first', targetNodeId: 6 });
    expect(shape(d1, A).slice(3)).toEqual([[12, 'node 6', [13, 14, 15]], [16, 'node 14', [17, 18]]]);
  });

  it('joinTip by the last node reverses the branch', () => {
    const d1 = run(sampleDoc(), { type: 'joinTip', branchId: 12, end: 'last', targetNodeId: 6 });
    expect(shape(d1, A).slice(3)).toEqual([[12, 'node 6', [15, 14, 13]], [16, 'node 14', [17, 18]]]);
  });

  it('joinTip by the tip of a sub-branch re-roots the detached tree (the path branch is reversed and split)', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'joinTip', branchId: 16, end: 'last', targetNodeId: 6 });
    expect(shape(d1, A).slice(3)).toEqual([[12, 'node 17', [14, 13]], [23, 'node 14', [15]], [16, 'node 6', [18, 17]]]);
    expect(d1.neurons[0].branches[4].label).toBe('undefined');
    expect(d1.nextId).toBe(24);
    // Same undirected edges as before, plus 6–18.
    const edges = (doc: AnnotationDocument): string[] => [...nodeTree(doc.neurons[0]).parentOf]
      .filter(([, p]) => typeof p === 'number').map(([c, p]) => [c, p as number].sort((a, b) => a - b).join('-')).sort();
    expect(edges(d1)).toEqual([...edges(d0), '6-18'].sort());
    // By its first node: B16 unchanged, B12 reversed up to node 14 and split.
    const d2 = run(d0, { type: 'joinTip', branchId: 16, end: 'first', targetNodeId: 6 });
    expect(shape(d2, A).slice(3)).toEqual([[12, 'node 17', [14, 13]], [23, 'node 14', [15]], [16, 'node 6', [17, 18]]]);
  });

  it('joinTip into another neuron moves the whole detached tree there', () => {
    const d1 = run(sampleDoc(), { type: 'joinTip', branchId: 12, end: 'first', targetNodeId: 22 });
    expect(shape(d1, A).map((b) => b[0])).toEqual([2, 7, 10]);
    expect(shape(d1, B)).toEqual([[20, 'soma', [21, 22]], [12, 'node 22', [13, 14, 15]], [16, 'node 14', [17, 18]]]);
  });

  it('attachToSoma reverses for the last end and may move between neurons', () => {
    const d0 = sampleDoc();
    expect(shape(run(d0, { type: 'attachToSoma', branchId: 12, end: 'last', neuronId: A }), A).slice(3))
      .toEqual([[12, 'soma', [15, 14, 13]], [16, 'node 14', [17, 18]]]);
    const d2 = run(d0, { type: 'attachToSoma', branchId: 12, end: 'first', neuronId: B });
    expect(shape(d2, B)).toEqual([[20, 'soma', [21, 22]], [12, 'soma', [13, 14, 15]], [16, 'node 14', [17, 18]]]);
  });

  it('reparentBranch to soma, node or none; node order kept', () => {
    const d0 = sampleDoc();
    expect(shape(run(d0, { type: 'reparentBranch', branchId: 7, parent: onNode(6) }), A)[1]).toEqual([7, 'node 6', [8, 9]]);
    expect(shape(run(d0, { type: 'reparentBranch', branchId: 7, parent: SOMA }), A)[1]).toEqual([7, 'soma', [8, 9]]);
    expect(shape(run(d0, { type: 'reparentBranch', branchId: 10, parent: NONE }), A)[2]).toEqual([10, 'none', [11]]);
    expect(shape(run(d0, { type: 'reparentBranch', branchId: 16, parent: onNode(11) }), A)[4]).toEqual([16, 'node 11', [17, 18]]);
  });

  it('reparentBranch refuses cycles and foreign nodes', () => {
    const d0 = deepFreeze(sampleDoc());
    for (const parent of [onNode(9), onNode(11), onNode(4), onNode(3)]) expect(applyAction(d0, { type: 'reparentBranch', branchId: 2, parent })).toBe(d0);
    expect(applyAction(d0, { type: 'reparentBranch', branchId: 7, parent: onNode(8) })).toBe(d0);
    expect(applyAction(d0, { type: 'reparentBranch', branchId: 12, parent: onNode(18) })).toBe(d0);
    expect(applyAction(d0, { type: 'reparentBranch', branchId: 7, parent: onNode(22) })).toBe(d0);
  });

  it('setBranchLabel, optionally recursive; unchanged branches keep identity', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'setBranchLabel', branchId: 7, label: 'apical' });
    expect(d1.neurons[0].branches.map((b) => b.label)).toEqual(['dendrite', 'apical', 'dendrite', 'undefined', 'undefined']);
    const d2 = run(d0, { type: 'setBranchLabel', branchId: 2, label: 'custom:basal', recursive: true });
    expect(d2.neurons[0].branches.map((b) => b.label)).toEqual(['custom:basal', 'custom:basal', 'custom:basal', 'undefined', 'undefined']);
    expect(d2.neurons[0].branches[3]).toBe(d0.neurons[0].branches[3]);
  });

  it('moveBranchToNeuron moves the subtree; a soma branch lands on the target soma', () => {
    const d0 = sampleDoc();
    const d1 = run(d0, { type: 'moveBranchToNeuron', branchId: 7, neuronId: B });
    expect(shape(d1, A).map((b) => b[0])).toEqual([2, 12, 16]);
    expect(shape(d1, B)).toEqual([[20, 'soma', [21, 22]], [7, 'none', [8, 9]], [10, 'node 9', [11]]]);
    expect(shape(run(d0, { type: 'moveBranchToNeuron', branchId: 20, neuronId: A }), A)[5]).toEqual([20, 'soma', [21, 22]]);
  });

  it('setCalibration sets, replaces and clears', () => {
    const d0 = sampleDoc();
    const cal = { pixelWidth: 0.2, pixelHeight: 0.2, unit: 'µm' as const, source: 'user' as const };
    const d1 = run(d0, { type: 'setCalibration', calibration: cal });
    expect(d1.calibration).toEqual(cal);
    expect(d1.neurons).toBe(d0.neurons);
    expect(applyAction(d1, { type: 'setCalibration', calibration: { ...cal } })).toBe(d1);
    expect(run(d1, { type: 'setCalibration', calibration: null }).calibration).toBeNull();
  });
});
