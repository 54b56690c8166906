import { describe, expect, it } from 'vitest';
import type { Action, ActionType, TracedBranchInput } from '../../../shared/actions/actions';
import { actionLabel } from '../../../shared/actions/actions';
import { createHistory, dispatch, redo, undo, undoDepth } from '../../../shared/actions/history';
import { applyAction, applyActions } from '../../../shared/actions/reducer';
import { deepFreeze } from '../../../shared/model/deep-freeze';
import type { AnnotationDocument, BranchParent } from '../../../shared/model/document';
import { validateDocument } from '../../../shared/model/validate';
import { NONE, SOMA, onNode, sampleDoc } from './sample-doc';
import { seededRandom as rng } from '../../../shared/random';

const soma = { kind: 'point' as const, x: 1, y: 1, z: 0 };
const cal = { pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm' as const, source: 'user' as const };

/** A soma-rooted dendrite with one side branch on its second node. */
const TREE: TracedBranchInput[] = [
  { parent: -1, parentNode: 0, nodes: [{ x: 510, y: 500 }, { x: 530, y: 500 }, { x: 550, y: 500 }] },
  { parent: 0, parentNode: 1, nodes: [{ x: 530, y: 520 }] },
];

/**
 * Every action type, spelled out so that a new type in the Action union fails to compile here until it is added
 * to the tables below (Record needs every key).
 */
const EVERY_TYPE: Record<ActionType, true> = {
  addNeuron: true, addTracedNeuron: true, replaceTracedNeuron: true, renameNeuron: true, setNeuronColor: true, deleteNeuron: true,
  setSoma: true, placeSoma: true, clearSoma: true, addBranch: true, addBranchOnSegment: true, extendBranch: true,
  removeLastNodes: true, moveNode: true, insertNode: true, deleteNode: true, deleteBranch: true, splitBranch: true,
  joinTip: true, attachToSoma: true, reparentBranch: true, setBranchLabel: true, mergeBranchIntoParent: true,
  moveBranchToNeuron: true, setCalibration: true,
};

/** One valid action of every type against sampleDoc(). */
const VALID: Action[] = [
  { type: 'addNeuron' },
  { type: 'addTracedNeuron', soma: { kind: 'point', x: 500, y: 500, z: 0 }, branches: TREE },
  { type: 'replaceTracedNeuron', neuronId: 19, soma: { kind: 'point', x: 500, y: 500, z: 0 }, branches: TREE },
  { type: 'renameNeuron', neuronId: 1, name: 'Renamed' },
  { type: 'setNeuronColor', neuronId: 1, color: '#000000' },
  { type: 'deleteNeuron', neuronId: 19 },
  { type: 'setSoma', neuronId: 1, soma },
  { type: 'clearSoma', neuronId: 1 },
  { type: 'placeSoma', neuronId: 1, soma: { kind: 'point', x: 195, y: 200, z: 0 }, attachWithin: 10 },
  { type: 'addBranch', neuronId: 1, parent: SOMA, nodes: [{ x: 0, y: 0 }] },
  { type: 'addBranchOnSegment', branchId: 2, segmentIndex: 1, at: { x: 65, y: 50 }, nodes: [{ x: 65, y: 40 }] },
  { type: 'extendBranch', branchId: 2, nodes: [{ x: 100, y: 50 }] },
  { type: 'removeLastNodes', branchId: 2, count: 1 },
  { type: 'moveNode', nodeId: 4, x: 1, y: 1 },
  { type: 'insertNode', branchId: 7, index: 0, x: 70, y: 55 },
  { type: 'deleteNode', nodeId: 4 },
  { type: 'deleteBranch', branchId: 2 },
  { type: 'splitBranch', branchId: 2, nodeId: 3 },
  { type: 'joinTip', branchId: 12, end: 'last', targetNodeId: 11 },
  { type: 'attachToSoma', branchId: 16, end: 'last', neuronId: 19 },
  { type: 'reparentBranch', branchId: 10, parent: onNode(3) },
  { type: 'setBranchLabel', branchId: 12, label: 'axon', recursive: true },
  { type: 'mergeBranchIntoParent', branchId: 10 },
  { type: 'moveBranchToNeuron', branchId: 12, neuronId: 19 },
  { type: 'setCalibration', calibration: cal },
];

const bad = (x: unknown): never => x as never;

/** Invalid or no-op actions against sampleDoc(): each must return the same document object. */
const INVALID: Action[] = [
  { type: 'addNeuron', color: 'red' },
  { type: 'addTracedNeuron', soma: null, branches: [{ parent: 1, parentNode: 0, nodes: [{ x: 0, y: 0 }] }] },
  { type: 'addTracedNeuron', soma: null, branches: [{ parent: -1, parentNode: 0, nodes: [] }] },
  { type: 'addTracedNeuron', soma: { kind: 'point', x: Number.NaN, y: 0, z: 0 }, branches: TREE },
  { type: 'replaceTracedNeuron', neuronId: 999, soma: null, branches: TREE },
  { type: 'replaceTracedNeuron', neuronId: 19, soma: null, branches: [TREE[0], { parent: 0, parentNode: 7, nodes: [{ x: 0, y: 0 }] }] },
  { type: 'addNeuron', soma: { kind: 'polygon', points: [{ x: 0, y: 0 }, { x: 1, y: 1 }], z: 0 } },
  { type: 'renameNeuron', neuronId: 999, name: 'X' },
  { type: 'renameNeuron', neuronId: 1, name: '   ' },
  { type: 'renameNeuron', neuronId: 1, name: 'Cell A' },
  { type: 'setNeuronColor', neuronId: 1, color: '#12345' },
  { type: 'setNeuronColor', neuronId: 1, color: '#ffd400' },
  { type: 'deleteNeuron', neuronId: 999 },
  { type: 'deleteNeuron', neuronId: 2 },
  { type: 'setSoma', neuronId: 999, soma },
  { type: 'setSoma', neuronId: 1, soma: { kind: 'point', x: Number.NaN, y: 0, z: 0 } },
  { type: 'setSoma', neuronId: 1, soma: { kind: 'point', x: 50, y: 50, z: 0 } },
  { type: 'clearSoma', neuronId: 999 },
  { type: 'addBranch', neuronId: 999, parent: SOMA, nodes: [{ x: 0, y: 0 }] },
  { type: 'addBranch', neuronId: 1, parent: onNode(22), nodes: [{ x: 0, y: 0 }] },
  { type: 'addBranch', neuronId: 1, parent: onNode(999), nodes: [{ x: 0, y: 0 }] },
  { type: 'addBranch', neuronId: 1, parent: SOMA, nodes: [] },
  { type: 'addBranch', neuronId: 1, parent: SOMA, nodes: [{ x: Number.POSITIVE_INFINITY, y: 0 }] },
  { type: 'addBranch', neuronId: 1, parent: SOMA, nodes: [{ x: 0, y: 0, r: -1 }] },
  { type: 'addBranch', neuronId: 1, parent: SOMA, nodes: [{ x: 0, y: 0 }], label: bad('spine') },
  { type: 'addBranch', neuronId: 1, parent: bad({ kind: 'elsewhere' }), nodes: [{ x: 0, y: 0 }] },
  { type: 'addBranchOnSegment', branchId: 2, segmentIndex: 0, at: { x: 55, y: 50 }, nodes: [{ x: 0, y: 0 }] },
  { type: 'addBranchOnSegment', branchId: 2, segmentIndex: 4, at: { x: 55, y: 50 }, nodes: [{ x: 0, y: 0 }] },
  { type: 'addBranchOnSegment', branchId: 2, segmentIndex: 1.5, at: { x: 55, y: 50 }, nodes: [{ x: 0, y: 0 }] },
  { type: 'addBranchOnSegment', branchId: 2, segmentIndex: 1, at: { x: 65, y: 50 }, nodes: [] },
  { type: 'extendBranch', branchId: 999, nodes: [{ x: 0, y: 0 }] },
  { type: 'extendBranch', branchId: 2, nodes: [] },
  { type: 'removeLastNodes', branchId: 2, count: 0 },
  { type: 'removeLastNodes', branchId: 2, count: 5 },
  { type: 'removeLastNodes', branchId: 2, count: 1.5 },
  { type: 'moveNode', nodeId: 999, x: 0, y: 0 },
  { type: 'moveNode', nodeId: 4, x: Number.NaN, y: 0 },
  { type: 'moveNode', nodeId: 4, x: 70, y: 50 },
  { type: 'insertNode', branchId: 2, index: 0, x: 55, y: 50 },
  { type: 'insertNode', branchId: 2, index: 4, x: 95, y: 50 },
  { type: 'insertNode', branchId: 999, index: 1, x: 0, y: 0 },
  { type: 'deleteNode', nodeId: 999 },
  { type: 'deleteNode', nodeId: 2 },
  { type: 'deleteBranch', branchId: 999 },
  { type: 'deleteBranch', branchId: 3 },
  { type: 'splitBranch', branchId: 2, nodeId: 6 },
  { type: 'splitBranch', branchId: 2, nodeId: 8 },
  { type: 'splitBranch', branchId: 999, nodeId: 3 },
  { type: 'joinTip', branchId: 7, end: 'last', targetNodeId: 15 },
  { type: 'joinTip', branchId: 12, end: 'last', targetNodeId: 18 },
  { type: 'joinTip', branchId: 16, end: 'first', targetNodeId: 13 },
  { type: 'joinTip', branchId: 12, end: 'last', targetNodeId: 999 },
  { type: 'joinTip', branchId: 12, end: bad('middle'), targetNodeId: 6 },
  { type: 'attachToSoma', branchId: 2, end: 'first', neuronId: 1 },
  { type: 'placeSoma', neuronId: 1, soma: { kind: 'point', x: 50, y: 50, z: 0 }, attachWithin: 5 },
  { type: 'placeSoma', neuronId: 1, soma: { kind: 'point', x: 195, y: 200, z: 0 }, attachWithin: -1 },
  { type: 'attachToSoma', branchId: 12, end: 'first', neuronId: 999 },
  { type: 'reparentBranch', branchId: 2, parent: onNode(9) },
  { type: 'reparentBranch', branchId: 7, parent: onNode(4) },
  { type: 'reparentBranch', branchId: 999, parent: NONE },
  { type: 'setBranchLabel', branchId: 2, label: 'dendrite' },
  { type: 'setBranchLabel', branchId: 2, label: bad('custom:') },
  { type: 'setBranchLabel', branchId: 999, label: 'axon' },
  { type: 'mergeBranchIntoParent', branchId: 2 },
  { type: 'mergeBranchIntoParent', branchId: 7 },
  { type: 'mergeBranchIntoParent', branchId: 12 },
  { type: 'moveBranchToNeuron', branchId: 2, neuronId: 1 },
  { type: 'moveBranchToNeuron', branchId: 2, neuronId: 999 },
  { type: 'setCalibration', calibration: null },
  { type: 'setCalibration', calibration: { ...cal, pixelWidth: 0 } },
  { type: 'setCalibration', calibration: bad({ ...cal, unit: 'mm' }) },
  bad({ type: 'teleport' }),
];

describe('every action', () => {
  it('the tables cover every action type', () => {
    const all = Object.keys(EVERY_TYPE).sort();
    expect(all).toHaveLength(25);
    expect([...new Set(VALID.map((a) => a.type))].sort()).toEqual(all);
    expect([...new Set(INVALID.map((a) => a.type))].sort()).toEqual([...all, 'teleport'].sort()); // + the unknown one
  });

  it.each(VALID.map((a) => [a.type, a] as const))('%s: changes the document, undo gives back the identical object, redo the result', (_t, action) => {
    const d0 = deepFreeze(sampleDoc());
    const h = dispatch(createHistory(d0), action);
    expect(h.present).not.toBe(d0);
    expect(validateDocument(h.present)).toEqual([]);
    expect(h.present.nextId).toBeGreaterThanOrEqual(d0.nextId);
    expect(undo(h).present).toBe(d0);
    expect(redo(undo(h)).present).toBe(h.present);
    expect(h.past?.top.label).toBe(actionLabel(action));
  });

  it.each(INVALID.map((a, i) => [i, a.type, a] as const))('#%i %s: invalid target returns the same document', (_i, _t, action) => {
    const d0 = deepFreeze(sampleDoc());
    expect(applyAction(d0, action)).toBe(d0);
    const h = createHistory(d0);
    expect(dispatch(h, action)).toBe(h);
  });

  it('attachToSoma needs a soma', () => {
    const d0 = deepFreeze(applyAction(sampleDoc(), { type: 'clearSoma', neuronId: 1 }));
    expect(applyAction(d0, { type: 'attachToSoma', branchId: 12, end: 'first', neuronId: 1 })).toBe(d0);
    expect(applyAction(d0, { type: 'addBranch', neuronId: 1, parent: SOMA, nodes: [{ x: 0, y: 0 }] })).toBe(d0);
    expect(applyAction(d0, { type: 'reparentBranch', branchId: 12, parent: SOMA })).toBe(d0);
  });
});

describe('create then delete', () => {
  // Deep-equal to the original except nextId: ids are never reused, so nextId only grows.
  const cases: Array<[string, Action[]]> = [
    ['neuron', [{ type: 'addNeuron', name: 'N' }, { type: 'deleteNeuron', neuronId: 23 }]],
    ['branch', [{ type: 'addBranch', neuronId: 1, parent: onNode(5), nodes: [{ x: 80, y: 40 }, { x: 80, y: 30 }] }, { type: 'deleteBranch', branchId: 23 }]],
    ['branch on segment', [
      { type: 'addBranchOnSegment', branchId: 2, segmentIndex: 3, at: { x: 85, y: 50 }, nodes: [{ x: 85, y: 60 }] },
      { type: 'deleteBranch', branchId: 24 },
      { type: 'deleteNode', nodeId: 23 },
    ]],
    ['inserted node', [{ type: 'insertNode', branchId: 16, index: 1, x: 210, y: 215 }, { type: 'deleteNode', nodeId: 23 }]],
    ['extension', [{ type: 'extendBranch', branchId: 7, nodes: [{ x: 70, y: 80 }, { x: 70, y: 90 }] }, { type: 'removeLastNodes', branchId: 7, count: 2 }]],
    ['split', [{ type: 'splitBranch', branchId: 12, nodeId: 13 }, { type: 'mergeBranchIntoParent', branchId: 23 }]],
    ['join', [{ type: 'joinTip', branchId: 12, end: 'first', targetNodeId: 6 }, { type: 'reparentBranch', branchId: 12, parent: NONE }]],
    ['soma attachment', [{ type: 'attachToSoma', branchId: 12, end: 'first', neuronId: 1 }, { type: 'reparentBranch', branchId: 12, parent: NONE }]],
    ['calibration', [{ type: 'setCalibration', calibration: cal }, { type: 'setCalibration', calibration: null }]],
  ];
  it.each(cases)('%s', (_name, actions) => {
    const d0 = deepFreeze(sampleDoc());
    const d = applyActions(d0, actions);
    expect(d).not.toBe(d0);
    expect({ ...d, nextId: d0.nextId }).toEqual(d0);
    expect(d.nextId).toBeGreaterThanOrEqual(d0.nextId);
  });
});


function randomAction(doc: AnnotationDocument, r: () => number): Action {
  const pick = <T>(xs: readonly T[], fallback: T): T => (xs.length === 0 || r() < 0.03 ? fallback : xs[Math.floor(r() * xs.length)]);
  const neurons = doc.neurons.map((x) => x.id);
  const branches = doc.neurons.flatMap((x) => x.branches.map((b) => b.id));
  const nodes = doc.neurons.flatMap((x) => x.branches.flatMap((b) => b.nodes.map((m) => m.id)));
  const neuronId = pick(neurons, 999_999);
  const branchId = pick(branches, 999_999);
  const nodeId = pick(nodes, 999_999);
  const xy = () => ({ x: Math.round(r() * 1000) / 4, y: Math.round(r() * 1000) / 4 });
  const pts = () => Array.from({ length: 1 + Math.floor(r() * 3) }, xy);
  const parent = (): BranchParent => { const k = r(); return k < 0.3 ? SOMA : k < 0.5 ? NONE : onNode(pick(nodes, 1)); };
  const end = r() < 0.5 ? 'first' : 'last';
  const kinds: Array<() => Action> = [
    () => ({ type: 'addNeuron', soma: r() < 0.7 ? { kind: 'point', ...xy(), z: 0 } : null }),
    () => ({ type: 'deleteNeuron', neuronId }),
    () => ({ type: 'setSoma', neuronId, soma: { kind: 'point', ...xy(), z: 0 } }),
    () => ({ type: 'clearSoma', neuronId }),
    () => ({ type: 'addBranch', neuronId, parent: parent(), nodes: pts() }),
    () => ({ type: 'addBranch', neuronId, parent: parent(), nodes: pts() }),
    () => ({ type: 'addBranchOnSegment', branchId, segmentIndex: Math.floor(r() * 4), at: xy(), nodes: pts() }),
    () => ({ type: 'extendBranch', branchId, nodes: pts() }),
    () => ({ type: 'removeLastNodes', branchId, count: 1 + Math.floor(r() * 3) }),
    () => ({ type: 'moveNode', nodeId, ...xy() }),
    () => ({ type: 'insertNode', branchId, index: Math.floor(r() * 4), ...xy() }),
    () => ({ type: 'deleteNode', nodeId }),
    () => ({ type: 'deleteBranch', branchId }),
    () => ({ type: 'splitBranch', branchId, nodeId }),
    () => ({ type: 'joinTip', branchId, end, targetNodeId: pick(nodes, 1) }),
    () => ({ type: 'attachToSoma', branchId, end, neuronId }),
    () => ({ type: 'reparentBranch', branchId, parent: parent() }),
    () => ({ type: 'setBranchLabel', branchId, label: r() < 0.5 ? 'axon' : 'custom:x', recursive: r() < 0.5 }),
    () => ({ type: 'mergeBranchIntoParent', branchId: pick(doc.neurons.flatMap((x) => x.branches.filter((b) => b.parent.kind === 'node').map((b) => b.id)), branchId) }),
    () => ({ type: 'moveBranchToNeuron', branchId, neuronId }),
  ];
  return kinds[Math.floor(r() * kinds.length)]();
}

function allIds(doc: AnnotationDocument): Set<number> {
  const ids = new Set<number>();
  for (const x of doc.neurons) {
    ids.add(x.id);
    for (const b of x.branches) { ids.add(b.id); for (const m of b.nodes) ids.add(m.id); }
  }
  return ids;
}

describe('random editing sessions', () => {
  it.each([1, 2, 3])('seed %i: 1500 random actions keep every invariant, never mutate, never reuse ids; full undo/redo round-trips', (seed) => {
    const r = rng(seed);
    const d0 = deepFreeze(sampleDoc());
    let h = createHistory(d0);
    const seen = allIds(d0);
    let applied = 0;
    const appliedTypes = new Set<string>();
    for (let i = 0; i < 1500; i++) {
      const before = h.present;
      const action = randomAction(before, r);
      h = dispatch(h, action);
      if (h.present === before) continue;
      applied++;
      appliedTypes.add(action.type);
      deepFreeze(h.present);
      expect(validateDocument(h.present)).toEqual([]);
      for (const id of allIds(h.present)) {
        if (!allIds(before).has(id)) {
          expect(id).toBeGreaterThanOrEqual(before.nextId);
          expect(seen.has(id)).toBe(false);
        }
        seen.add(id);
      }
    }
    expect(applied).toBeGreaterThan(400);
    expect(appliedTypes.size).toBe(19); // every type the generator makes
    expect(undoDepth(h)).toBe(applied);
    const end = h.present;
    while (undoDepth(h) > 0) h = undo(h);
    expect(h.present).toBe(d0);
    while (h.future) h = redo(h);
    expect(h.present).toBe(end);
  });
});
