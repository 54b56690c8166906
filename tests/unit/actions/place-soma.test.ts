import { describe, expect, it } from 'vitest';
import { createHistory, dispatch, undo, undoDepth } from '../../../shared/actions/history';
import { applyAction } from '../../../shared/actions/reducer';
import { distanceOutsideSoma, somaCatches } from '../../../shared/actions/soma-catch';
import { deepFreeze } from '../../../shared/model/deep-freeze';
import type { AnnotationDocument } from '../../../shared/model/document';
import { validateDocument } from '../../../shared/model/validate';
import { NONE, SOMA, br, n, onNode, sampleDoc, shape } from './sample-doc';

// sampleDoc: B12 detached 13(200,200) 14(210,200) 15(220,200), B16 on node 14: 17(210,210) 18(210,220).

const point = (x: number, y: number, r?: number) => ({ kind: 'point' as const, x, y, z: 0, ...(r === undefined ? {} : { r }) });

function run(doc: AnnotationDocument, action: Parameters<typeof applyAction>[1]): AnnotationDocument {
  const next = applyAction(deepFreeze(doc), action);
  expect(validateDocument(next)).toEqual([]);
  return next;
}

describe('soma geometry', () => {
  it('distance outside a point soma, with and without radius, and outside a square outline', () => {
    expect(distanceOutsideSoma(point(0, 0), 3, 4)).toBe(5);
    expect(distanceOutsideSoma(point(0, 0, 2), 3, 4)).toBe(3);
    expect(distanceOutsideSoma(point(0, 0, 6), 3, 4)).toBe(0);
    const square = { kind: 'polygon' as const, points: [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }], z: 0 };
    expect(distanceOutsideSoma(square, 5, 5)).toBe(0);
    expect(distanceOutsideSoma(square, 13, 5)).toBe(3);
    expect(distanceOutsideSoma(square, 13, 14)).toBe(5); // corner (10,10): 3-4-5
  });
});

describe('placeSoma', () => {
  it('a soma placed 5 px from the first node of a detached path attaches that tree by its first node, in one undo step', () => {
    const d0 = deepFreeze(sampleDoc());
    const action = { type: 'placeSoma' as const, neuronId: 1, soma: point(195, 200), attachWithin: 10 };
    expect(somaCatches(d0, action.soma, 10)).toEqual([{ branchId: 12, end: 'first', distance: 5 }]);
    const h = dispatch(createHistory(d0), action);
    expect(undoDepth(h)).toBe(1);
    expect(h.past?.top.label).toBe('Place soma');
    const d1 = h.present;
    expect(validateDocument(d1)).toEqual([]);
    expect(d1.neurons[0].soma).toEqual(point(195, 200));
    expect(shape(d1, 1)).toEqual([
      [2, 'soma', [3, 4, 5, 6]],
      [7, 'node 4', [8, 9]],
      [10, 'node 9', [11]],
      [12, 'soma', [13, 14, 15]],
      [16, 'node 14', [17, 18]],
    ]);
    expect(undo(h).present).toBe(d0);
  });

  it('a tree whose tip lies at the soma is re-rooted there (as attachToSoma with end "last")', () => {
    // Tip 18 (210,220) is 6 px from (210,226); first node 13 is √(10² + 26²) ≈ 27.9 px away.
    const d1 = run(sampleDoc(), { type: 'placeSoma', neuronId: 1, soma: point(210, 226), attachWithin: 8 });
    expect(shape(d1, 1).slice(3)).toEqual([
      // B12 is reversed up to node 14 where B16 entered it; its far part (15) becomes new path 23 on node 14.
      [12, 'node 17', [14, 13]],
      [23, 'node 14', [15]],
      [16, 'soma', [18, 17]],
    ]);
    expect(d1.nextId).toBe(24);
  });

  it('beyond attachWithin nothing is attached; the soma still moves', () => {
    const d1 = run(sampleDoc(), { type: 'placeSoma', neuronId: 1, soma: point(180, 200), attachWithin: 19.9 });
    expect(d1.neurons[0].soma).toEqual(point(180, 200));
    expect(shape(d1, 1)[3]).toEqual([12, 'none', [13, 14, 15]]);
  });

  it('a point soma with a radius counts from its edge; a polygon from its outline (inside = 0)', () => {
    // r = 4 at 20 px from node 13: 16 px outside the edge.
    expect(shape(run(sampleDoc(), { type: 'placeSoma', neuronId: 1, soma: point(180, 200, 4), attachWithin: 16 }), 1)[3][1]).toBe('soma');
    expect(shape(run(sampleDoc(), { type: 'placeSoma', neuronId: 1, soma: point(180, 200, 4), attachWithin: 15.9 }), 1)[3][1]).toBe('none');
    // Outline 185..198 × 190..210: node 13 (200,200) lies 2 px right of it.
    const outline = { kind: 'polygon' as const, points: [{ x: 185, y: 190 }, { x: 198, y: 190 }, { x: 198, y: 210 }, { x: 185, y: 210 }], z: 0 };
    expect(shape(run(sampleDoc(), { type: 'placeSoma', neuronId: 1, soma: outline, attachWithin: 2 }), 1)[3][1]).toBe('soma');
    expect(shape(run(sampleDoc(), { type: 'placeSoma', neuronId: 1, soma: outline, attachWithin: 1.9 }), 1)[3][1]).toBe('none');
  });

  it('catches detached trees of other neurons too and moves them into the soma’s neuron; several in one step', () => {
    const doc: AnnotationDocument = {
      neurons: [
        { id: 1, name: 'Traced without soma', color: '#ffd400', soma: null, branches: [br(2, NONE, [n(3, 110, 100), n(4, 150, 100)]), br(5, NONE, [n(6, 100, 92), n(7, 100, 60)]), br(8, NONE, [n(9, 300, 300)])] },
        { id: 10, name: 'Empty', color: '#00e5ff', soma: null, branches: [] },
        { id: 11, name: 'Other', color: '#ff5cf0', soma: null, branches: [br(12, NONE, [n(13, 100, 140), n(14, 100, 109)])] },
      ],
      nextId: 15,
      calibration: null,
    };
    const d1 = run(doc, { type: 'placeSoma', neuronId: 10, soma: point(100, 100), attachWithin: 10 });
    expect(shape(d1, 1)).toEqual([[8, 'none', [9]]]);
    expect(shape(d1, 10)).toEqual([
      [2, 'soma', [3, 4]],
      [5, 'soma', [6, 7]],
      [12, 'soma', [14, 13]],
    ]);
    expect(shape(d1, 11)).toEqual([]);
  });

  it('attached soma paths stay attached when the soma moves away', () => {
    const doc: AnnotationDocument = {
      neurons: [{ id: 1, name: 'N', color: '#ffd400', soma: point(0, 0), branches: [br(2, SOMA, [n(3, 10, 0)]), br(4, onNode(3), [n(5, 20, 0)])] }],
      nextId: 6,
      calibration: null,
    };
    const d1 = run(doc, { type: 'placeSoma', neuronId: 1, soma: point(-30, 0), attachWithin: 5 });
    expect(shape(d1, 1)).toEqual([[2, 'soma', [3]], [4, 'node 3', [5]]]);
  });
});

describe('history options', () => {
  it('a label names the undo step of coalesced edits, whatever the last action was', () => {
    const d0 = deepFreeze(sampleDoc());
    let h = dispatch(createHistory(d0), { type: 'addBranch', neuronId: 1, parent: SOMA, nodes: [{ x: 40, y: 40 }, { x: 30, y: 30 }] }, { coalesceKey: 'trace-1', label: 'Trace path' });
    h = dispatch(h, { type: 'extendBranch', branchId: 23, nodes: [{ x: 20, y: 20 }] }, { coalesceKey: 'trace-1', label: 'Trace path' });
    h = dispatch(h, { type: 'extendBranch', branchId: 23, nodes: [{ x: 10, y: 10 }, { x: 0, y: 5 }] }, { coalesceKey: 'trace-1', label: 'Trace path' });
    h = dispatch(h, { type: 'removeLastNodes', branchId: 23, count: 2 }, { coalesceKey: 'trace-1', label: 'Trace path' });
    expect(undoDepth(h)).toBe(1);
    expect(h.past?.top.label).toBe('Trace path');
    expect(h.present.neurons[0].branches.at(-1)?.nodes.map((x) => [x.x, x.y])).toEqual([[40, 40], [30, 30], [20, 20]]);
    expect(undo(h).present).toBe(d0);
  });
});
