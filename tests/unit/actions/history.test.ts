import { describe, expect, it } from 'vitest';
import {
  canRedo, canUndo, commit, createHistory, dispatch, endCoalescing, redo, redoDepth, redoLabel, undo, undoDepth, undoLabel,
} from '../../../shared/actions/history';
import { deepFreeze } from '../../../shared/model/deep-freeze';
import { sampleDoc } from './sample-doc';

describe('history', () => {
  it('a new history has nothing to undo or redo', () => {
    const doc = sampleDoc();
    const h = createHistory(doc);
    expect(h.present).toBe(doc);
    expect([canUndo(h), canRedo(h), undoLabel(h), redoLabel(h)]).toEqual([false, false, null, null]);
    expect(undo(h)).toBe(h);
    expect(redo(h)).toBe(h);
  });

  it('undo returns the identical previous documents, redo the identical later ones, with labels', () => {
    const d0 = deepFreeze(sampleDoc());
    const h1 = dispatch(createHistory(d0), { type: 'moveNode', nodeId: 4, x: 1, y: 2 });
    const h2 = dispatch(h1, { type: 'deleteBranch', branchId: 12 });
    expect([undoDepth(h2), undoLabel(h2)]).toEqual([2, 'Delete path']);
    const u1 = undo(h2);
    expect(u1.present).toBe(h1.present);
    expect([undoLabel(u1), redoLabel(u1), redoDepth(u1)]).toEqual(['Move node', 'Delete path', 1]);
    const u2 = undo(u1);
    expect(u2.present).toBe(d0);
    expect(canUndo(u2)).toBe(false);
    const r1 = redo(u2);
    expect(r1.present).toBe(h1.present);
    expect(redo(r1).present).toBe(h2.present);
    expect(canRedo(redo(r1))).toBe(false);
  });

  it('a no-op or invalid action adds no entry and keeps redo; a real edit clears redo', () => {
    const h1 = dispatch(createHistory(sampleDoc()), { type: 'deleteBranch', branchId: 12 });
    const u = undo(h1);
    expect(dispatch(u, { type: 'deleteBranch', branchId: 999 })).toBe(u);
    expect(dispatch(u, { type: 'moveNode', nodeId: 4, x: 70, y: 50 })).toBe(u); // already there
    const e = dispatch(u, { type: 'renameNeuron', neuronId: 1, name: 'X' });
    expect([canRedo(e), undoDepth(e), undoLabel(e)]).toEqual([false, 1, 'Rename neuron']);
  });

  it('a drag of 20 moves with one coalesceKey is one undo step back to the document before the drag', () => {
    const d0 = sampleDoc();
    let h = createHistory(d0);
    for (let i = 1; i <= 20; i++) h = dispatch(h, { type: 'moveNode', nodeId: 4, x: 70 + i, y: 50 - i }, { coalesceKey: 'drag-1' });
    expect(undoDepth(h)).toBe(1);
    expect(h.present.neurons[0].branches[0].nodes[1]).toMatchObject({ x: 90, y: 30 });
    const u = undo(h);
    expect(u.present).toBe(d0);
    expect(redo(u).present).toBe(h.present);
  });

  it('coalescing stops at another key, a key-less edit, undo/redo and endCoalescing', () => {
    const move = (x: number) => ({ type: 'moveNode' as const, nodeId: 4, x, y: 0 });
    let h = createHistory(sampleDoc());
    h = dispatch(h, move(1), { coalesceKey: 'a' });
    h = dispatch(h, move(2), { coalesceKey: 'a' });
    h = dispatch(h, move(3), { coalesceKey: 'b' });
    expect(undoDepth(h)).toBe(2);
    h = dispatch(h, move(4));
    h = dispatch(h, move(5), { coalesceKey: 'b' });
    expect(undoDepth(h)).toBe(4);
    h = endCoalescing(h);
    h = dispatch(h, move(6), { coalesceKey: 'b' });
    expect(undoDepth(h)).toBe(5);
    h = redo(undo(h));
    h = dispatch(h, move(7), { coalesceKey: 'b' });
    expect(undoDepth(h)).toBe(6);
    // A no-op inside a group neither ends it nor adds a step.
    h = dispatch(h, move(7), { coalesceKey: 'b' });
    h = dispatch(h, move(8), { coalesceKey: 'b' });
    expect(undoDepth(h)).toBe(6);
  });

  it('commit records a document built outside the reducer under a given label', () => {
    const d0 = sampleDoc();
    const d1 = { ...d0, neurons: d0.neurons.slice(0, 1) };
    const h = commit(createHistory(d0), d1, 'Import tracings');
    expect([undoLabel(h), h.present === d1, undo(h).present === d0]).toEqual(['Import tracings', true, true]);
  });
});
