import { describe, expect, it } from 'vitest';
import { createHistory, dispatch, undo } from '../../../shared/actions/history';
import { measureDocument } from '../../../shared/analysis';
import { deepFreeze } from '../../../shared/model/deep-freeze';
import type { AnnotationDocument } from '../../../shared/model/document';
import { hitTest } from '../../../shared/model/hit-test';
import { validateDocument } from '../../../shared/model/validate';
import { buildDoc } from '../analysis/build';

// Situations of docs/breakage-checklist.md that the reducer and the measurements must get right; expected numbers
// are worked out by hand from the coordinates (1 µm/px).

const counts = (doc: AnnotationDocument) =>
  measureDocument(doc, { sholl: false }).map(({ morphometrics: m }) => ({
    P: m.primaryBranches, B: m.branchPoints, T: m.tips, branches: m.branches, total: m.totalLength, stem: m.stemLength, longest: m.longestPath,
  }));

describe('branch at the root', () => {
  // Soma at (0, 0); one primary dendrite (10, 0) → (30, 0): branch 2, nodes 3 and 4.
  const base = () => deepFreeze(buildDoc({ soma: [0, 0], branches: [{ from: 'soma', nodes: [[10, 0], [30, 0]] }] }));

  it('a path started on the first node of a primary dendrite is a branch point there, not a second primary', () => {
    const d0 = base();
    const h = dispatch(createHistory(d0), { type: 'addBranch', neuronId: 1, parent: { kind: 'node', nodeId: 3 }, nodes: [{ x: 10, y: 20 }] });
    expect(validateDocument(h.present)).toEqual([]);
    expect(h.present.neurons[0].branches[1]).toEqual({ id: 5, label: 'dendrite', parent: { kind: 'node', nodeId: 3 }, nodes: [{ id: 6, x: 10, y: 20, z: 0 }] });
    // Stem soma → (10, 0) = 10 is reported apart; the two children are 20 µm each; both tips are 10 + 20 from the soma.
    expect(counts(h.present)).toEqual([{ P: 1, B: 1, T: 2, branches: 3, total: 40, stem: 10, longest: 30 }]);
    expect(undo(h).present).toBe(d0);
  });

  it('deleting that root node hands both paths to the soma: two primaries with their own stems', () => {
    const d1 = dispatch(createHistory(base()), { type: 'addBranch', neuronId: 1, parent: { kind: 'node', nodeId: 3 }, nodes: [{ x: 10, y: 20 }] });
    const h = dispatch(d1, { type: 'deleteNode', nodeId: 3 });
    expect(validateDocument(h.present)).toEqual([]);
    expect(h.present.neurons[0].branches.map((b) => [b.id, b.parent.kind, b.nodes.map((n) => n.id)])).toEqual([[2, 'soma', [4]], [5, 'soma', [6]]]);
    // Stems 30 and √(10² + 20²) = 22.3607; no length beyond the stems.
    const [m] = counts(h.present);
    expect({ ...m, stem: Number(m.stem.toFixed(4)) }).toEqual({ P: 2, B: 0, T: 2, branches: 2, total: 0, stem: 52.3607, longest: 30 });
    expect(undo(h).present).toBe(d1.present);
  });
});

describe('two neurons touching', () => {
  // A: soma (0, 0), dendrite (10, 0) → (50, 0). B: soma (100, 0), dendrite (90, 0) → (51, 0): the tips touch.
  const doc: AnnotationDocument = deepFreeze({
    nextId: 9,
    calibration: { pixelWidth: 1, pixelHeight: 1, unit: 'µm', source: 'user' },
    neurons: [
      { id: 1, name: 'A', color: '#ffd400', soma: { kind: 'point', x: 0, y: 0, z: 0 }, branches: [{ id: 2, label: 'dendrite', parent: { kind: 'soma' }, nodes: [{ id: 3, x: 10, y: 0, z: 0 }, { id: 4, x: 50, y: 0, z: 0 }] }] },
      { id: 5, name: 'B', color: '#ff5cf0', soma: { kind: 'point', x: 100, y: 0, z: 0 }, branches: [{ id: 6, label: 'dendrite', parent: { kind: 'soma' }, nodes: [{ id: 7, x: 90, y: 0, z: 0 }, { id: 8, x: 51, y: 0, z: 0 }] }] },
    ],
  });

  it('each is measured on its own: 40 and 39 µm of dendrite, one tip each', () => {
    expect(counts(doc)).toEqual([
      { P: 1, B: 0, T: 1, branches: 1, total: 40, stem: 10, longest: 50 },
      { P: 1, B: 0, T: 1, branches: 1, total: 39, stem: 10, longest: 49 },
    ]);
  });

  it('a click between the tips picks the nearer node; an exact tie goes to the first neuron in the list', () => {
    expect(hitTest(doc, { x: 50.8, y: 0 }, 3)).toMatchObject({ kind: 'node', neuronId: 5, nodeId: 8 });
    expect(hitTest(doc, { x: 50.2, y: 0 }, 3)).toMatchObject({ kind: 'node', neuronId: 1, nodeId: 4 });
    expect(hitTest(doc, { x: 50.5, y: 0 }, 3)).toMatchObject({ kind: 'node', neuronId: 1, nodeId: 4 });
  });
});
