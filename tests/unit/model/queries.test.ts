import { describe, expect, it } from 'vitest';
import { applyAction } from '../../../shared/actions/reducer';
import type { AnnotationDocument } from '../../../shared/model/document';
import {
  branchOrThrow, branchPolyline, childBranches, childCount, findNode, nodeTree, rootBranchId, segmentEnds, subtreeBranchIds,
} from '../../../shared/model/queries';
import { hitTest } from '../../../shared/model/hit-test';
import { RamifyError } from '../../../shared/result';
import { validateDocument } from '../../../shared/model/validate';
import { NONE, br, n, onNode, sampleDoc } from '../actions/sample-doc';
import { tracedField } from '../../fixtures/traced-field';

describe('lookups', () => {
  it('findNode locates neuron, branch and index', () => {
    const doc = sampleDoc();
    const at = findNode(doc, 17);
    expect(at && [at.neuron.id, at.branch.id, at.index, at.neuronIndex, at.branchIndex, at.node]).toEqual([1, 16, 0, 0, 4, n(17, 210, 210)]);
    expect(findNode(doc, 2)).toBeUndefined();
  });

  it('branchOrThrow throws a RamifyError with code unknown-branch', () => {
    expect(branchOrThrow(sampleDoc(), 20).neuron.id).toBe(19);
    expect(() => branchOrThrow(sampleDoc(), 3)).toThrowError(RamifyError);
    try {
      branchOrThrow(sampleDoc(), 3);
    } catch (e) {
      expect((e as RamifyError).code).toBe('unknown-branch');
    }
  });

  it('childBranches, subtreeBranchIds, rootBranchId', () => {
    const a = sampleDoc().neurons[0];
    expect(childBranches(a, 4).map((b) => b.id)).toEqual([7]);
    expect(childBranches(a, 5)).toEqual([]);
    expect([...subtreeBranchIds(a, 2)].sort((x, y) => x - y)).toEqual([2, 7, 10]);
    expect([...subtreeBranchIds(a, 12)].sort((x, y) => x - y)).toEqual([12, 16]);
    expect(subtreeBranchIds(a, 999).size).toBe(0);
    expect([rootBranchId(a, 10), rootBranchId(a, 16), rootBranchId(a, 2)]).toEqual([2, 12, 2]);
  });

  it('nodeTree gives parents and children, and is memoized by neuron identity', () => {
    const a = sampleDoc().neurons[0];
    const t = nodeTree(a);
    expect(nodeTree(a)).toBe(t);
    expect([t.parentOf.get(3), t.parentOf.get(8), t.parentOf.get(11), t.parentOf.get(13), t.parentOf.get(17)]).toEqual(['soma', 4, 9, 'none', 14]);
    expect(t.childrenOf.get(4)).toEqual([5, 8]);
    expect(t.childrenOf.get(6)).toEqual([]);
    expect([t.somaChildren, t.detachedRoots]).toEqual([[3], [13]]);
    expect(t.parentOf.size).toBe(12);
  });

  it('childCount: 2 at a fork, 1 along a path, 0 at a tip (sample neuron counted by hand)', () => {
    const doc = sampleDoc();
    const count = (id: number) => {
      const at = findNode(doc, id)!;
      return childCount(at.neuron, at.branch, at.index);
    };
    expect([count(4), count(5), count(6), count(3)]).toEqual([2, 1, 0, 1]);
  });

  it('childCount equals childrenOf’s length at every node of a traced field (consistency of the two indexes)', () => {
    const field = tracedField({ neurons: 3, nodesPerNeuron: () => 800, width: 1024, height: 1024, seed: 3 });
    let forks = 0;
    for (const neuron of field.neurons) {
      const kids = nodeTree(neuron).childrenOf;
      for (const b of neuron.branches)
        b.nodes.forEach((node, i) => {
          expect(childCount(neuron, b, i)).toBe(kids.get(node.id)!.length);
          if (kids.get(node.id)!.length >= 2) forks++;
        });
    }
    expect(forks).toBeGreaterThan(10);
  });

  it('branchPolyline starts at the parent node for a branch on a node; segmentEnds numbers by end node', () => {
    const a = sampleDoc().neurons[0];
    expect(branchPolyline(a, a.branches[1]).map((x) => x.id)).toEqual([4, 8, 9]);
    expect(branchPolyline(a, a.branches[0]).map((x) => x.id)).toEqual([3, 4, 5, 6]);
    expect(segmentEnds(a, a.branches[1], 0)?.map((x) => x.id)).toEqual([4, 8]);
    expect(segmentEnds(a, a.branches[0], 0)).toBeUndefined();
    expect(segmentEnds(a, a.branches[0], 3)?.map((x) => x.id)).toEqual([5, 6]);
    expect(segmentEnds(a, a.branches[0], 4)).toBeUndefined();
  });
});

describe('hitTest', () => {
  const doc = sampleDoc();

  it('a node within tolerance wins over a closer segment', () => {
    // (72.5, 50.5): node 4 at 2.55 px, segment 4→5 at 0.5 px.
    const hit = hitTest(doc, { x: 72.5, y: 50.5 }, 3);
    expect(hit).toMatchObject({ kind: 'node', nodeId: 4, branchId: 2, neuronId: 1, index: 1, point: { x: 70, y: 50 } });
    expect(hit?.distance).toBeCloseTo(Math.hypot(2.5, 0.5), 12);
  });

  it('otherwise the nearest segment, with the projection', () => {
    expect(hitTest(doc, { x: 65, y: 51 }, 3)).toEqual({
      kind: 'segment', neuronId: 1, branchId: 2, segmentIndex: 1, fromNodeId: 3, toNodeId: 4, t: 0.5, point: { x: 65, y: 50 }, distance: 1,
    });
    // The stretch from a parent node to a child branch's first node is that branch's segment 0.
    expect(hitTest(doc, { x: 71, y: 56 }, 3)).toEqual({
      kind: 'segment', neuronId: 1, branchId: 7, segmentIndex: 0, fromNodeId: 4, toNodeId: 8, t: 0.6, point: { x: 70, y: 56 }, distance: 1,
    });
  });

  it('nothing within tolerance, or a bad query, gives undefined', () => {
    expect(hitTest(doc, { x: 65, y: 54 }, 3)).toBeUndefined();
    expect(hitTest(doc, { x: 65, y: 50 }, -1)).toBeUndefined();
    expect(hitTest(doc, { x: Number.NaN, y: 50 }, 3)).toBeUndefined();
  });

  it('a hit segment feeds insertNode directly', () => {
    const hit = hitTest(doc, { x: 71, y: 56 }, 3);
    if (hit?.kind !== 'segment') throw new Error('expected a segment');
    const d1 = applyAction(doc, { type: 'insertNode', branchId: hit.branchId, index: hit.segmentIndex, ...hit.point });
    expect(d1.neurons[0].branches[1].nodes.map((x) => [x.id, x.x, x.y])).toEqual([[23, 70, 56], [8, 70, 60], [9, 70, 70]]);
  });
});

describe('validateDocument', () => {
  it('reports cycles, empty branches and dangling parents', () => {
    const bad: AnnotationDocument = {
      neurons: [{
        id: 1, name: 'x', color: '#ffffff', soma: null,
        branches: [br(2, onNode(5), [n(3, 0, 0)]), br(4, onNode(3), [n(5, 1, 0)]), br(6, NONE, []), br(7, onNode(99), [n(8, 2, 2)])],
      }],
      nextId: 9,
      calibration: null,
    };
    expect(validateDocument(bad)).toEqual([
      'Branch #2 is part of a cycle of branches.',
      'Branch #4 is part of a cycle of branches.',
      'Branch #6 has no nodes.',
      'Branch #7 starts at node #99, which is not in neuron #1.',
    ]);
  });

  it('reports duplicate ids and ids not below nextId', () => {
    const bad: AnnotationDocument = {
      neurons: [{ id: 1, name: 'x', color: '#ffffff', soma: null, branches: [br(2, NONE, [n(3, 0, 0), n(3, 1, 0), n(4, 2, 0)])] }],
      nextId: 4,
      calibration: null,
    };
    expect(validateDocument(bad)).toEqual(['Id 3 is used more than once (Node #3).', 'Node #4 has id 4, not below nextId 4.']);
    expect(validateDocument(sampleDoc())).toEqual([]);
  });
});
