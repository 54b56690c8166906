import { describe, expect, it } from 'vitest';
import { diffDocuments, edgeChanges, isEmptyDiff } from '../../../shared/model/diff';
import type { AnnotationDocument } from '../../../shared/model/document';
import { br, n, onNode, sampleDoc } from '../actions/sample-doc';

const copy = (d: AnnotationDocument): AnnotationDocument => JSON.parse(JSON.stringify(d));
const cellA = (d: AnnotationDocument) => d.neurons.find((x) => x.id === 1)!;

describe('diffDocuments (ids matched across versions; sample-doc.ts draws the document)', () => {
  it('finds nothing between a document and its copy, nor for moves under 1/1000 px', () => {
    const after = copy(sampleDoc());
    cellA(after).branches[0].nodes[1].x += 0.0004;
    const d = diffDocuments(sampleDoc(), after);
    expect(d).toEqual({ neurons: [], calibrationChanged: false });
    expect(isEmptyDiff(d)).toBe(true);
  });

  it('a branch added on node 5 (ids 23–25): two nodes and one branch added, nothing else', () => {
    const after = copy(sampleDoc());
    cellA(after).branches.push(br(25, onNode(5), [n(23, 80, 40), n(24, 80, 30)]));
    expect(diffDocuments(sampleDoc(), after).neurons).toEqual([
      { neuronId: 1, name: 'Cell A', change: 'changed', nodes: { added: [23, 24], removed: [], moved: [] }, branches: { added: [25], removed: [], changed: [] }, soma: null },
    ]);
  });

  it('branch 10 deleted and node 4 dragged: node 11 and branch 10 removed, node 4 moved, branch 2 reshaped', () => {
    const after = copy(sampleDoc());
    const a = cellA(after);
    a.branches = a.branches.filter((b) => b.id !== 10);
    a.branches[0].nodes[1].y = 52;
    expect(diffDocuments(sampleDoc(), after).neurons).toEqual([
      { neuronId: 1, name: 'Cell A', change: 'changed', nodes: { added: [], removed: [11], moved: [4] }, branches: { added: [], removed: [10], changed: [2] }, soma: null },
    ]);
  });

  it('a relabelled or re-attached branch is changed without any node moving; a moved soma is reported', () => {
    const after = copy(sampleDoc());
    cellA(after).branches[1].label = 'axon';
    cellA(after).branches[4].parent = { kind: 'node', nodeId: 15 };
    cellA(after).soma = { kind: 'point', x: 51, y: 50, z: 0 };
    expect(diffDocuments(sampleDoc(), after).neurons[0]).toMatchObject({ nodes: { added: [], removed: [], moved: [] }, branches: { changed: [7, 16] }, soma: 'moved' });
  });

  it('whole neurons added and removed, with all their nodes and branches', () => {
    const before = sampleDoc();
    const after = copy(before);
    after.neurons = [after.neurons[0], { id: 30, name: 'Cell C', color: '#ff5cf0', soma: null, branches: [br(31, { kind: 'none' }, [n(32, 1, 1), n(33, 2, 2)])] }];
    expect(diffDocuments(before, after).neurons).toEqual([
      { neuronId: 30, name: 'Cell C', change: 'added', nodes: { added: [32, 33], removed: [], moved: [] }, branches: { added: [31], removed: [], changed: [] }, soma: null },
      { neuronId: 19, name: 'Cell B', change: 'removed', nodes: { added: [], removed: [21, 22], moved: [] }, branches: { added: [], removed: [20], changed: [] }, soma: 'removed' },
    ]);
  });

  it('a new pixel size is a change even when no node moved', () => {
    const after = { ...sampleDoc(), calibration: { pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm' as const, source: 'user' as const } };
    expect(diffDocuments(sampleDoc(), after)).toEqual({ neurons: [], calibrationChanged: true });
  });
});

describe('edgeChanges: what the canvas draws as added and removed', () => {
  it('dragging node 4 from (70,50) to (70,52): its three edges are removed at the old place and added at the new', () => {
    const after = copy(sampleDoc());
    cellA(after).branches[0].nodes[1].y = 52;
    const c = edgeChanges(sampleDoc(), after);
    expect(c.added).toEqual([
      { neuronId: 1, points: [60, 50, 70, 52, 80, 50] },
      { neuronId: 1, points: [70, 52, 70, 60] },
    ]);
    expect(c.removed).toEqual([
      { neuronId: 1, points: [60, 50, 70, 50, 80, 50] },
      { neuronId: 1, points: [70, 50, 70, 60] },
    ]);
    expect(c.addedSomata).toEqual([]);
    expect(c.removedSomata).toEqual([]);
  });

  it('a new branch on node 5 is one added path from node 5; a deleted branch one removed path from its parent', () => {
    const after = copy(sampleDoc());
    const a = cellA(after);
    a.branches = a.branches.filter((b) => b.id !== 10);
    a.branches.push(br(25, onNode(5), [n(23, 80, 40), n(24, 80, 30)]));
    const c = edgeChanges(sampleDoc(), after);
    expect(c.added).toEqual([{ neuronId: 1, points: [80, 50, 80, 40, 80, 30] }]);
    expect(c.removed).toEqual([{ neuronId: 1, points: [70, 70, 75, 80] }]);
  });

  it('a removed neuron leaves its stems, paths and soma as removed; a moved soma moves its stem', () => {
    const before = sampleDoc();
    const after = copy(before);
    after.neurons = [after.neurons[0]];
    cellA(after).soma = { kind: 'point', x: 50, y: 40, z: 0 };
    const c = edgeChanges(before, after);
    expect(c.added).toEqual([{ neuronId: 1, points: [50, 40, 60, 50] }]);
    // Cell B's square soma 300..310 has its centroid at (305, 305).
    expect(c.removed).toEqual([
      { neuronId: 1, points: [50, 50, 60, 50] },
      { neuronId: 19, points: [305, 305, 320, 305, 330, 305] },
    ]);
    expect(c.addedSomata).toEqual([{ neuronId: 1, x: 50, y: 40 }]);
    expect(c.removedSomata).toEqual([
      { neuronId: 1, x: 50, y: 50 },
      { neuronId: 19, x: 305, y: 305 },
    ]);
  });
});
