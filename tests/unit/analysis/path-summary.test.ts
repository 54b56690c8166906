import { describe, expect, it } from 'vitest';
import { summarisePath } from '../../../shared/analysis/path-summary';
import { findNode } from '../../../shared/model/queries';
import { scaleOf } from '../../../shared/analysis/tree';
import { buildDoc } from './build';

// Path 1 from the soma: (10,0) → (10,30) → (50,60), 30 + 50 = 80 px. Path 2 off path 1's second node (10,30):
// → (10,60), 30 px. Path 3 detached. Ids are internal (1 neuron, 2 path, 3–5 nodes, …): the panel must not show them.
const doc = buildDoc({
  soma: [0, 0],
  branches: [
    { from: 'soma', nodes: [[10, 0], [10, 30], [50, 60]] },
    { from: [0, 1], nodes: [[10, 60]] },
    { from: 'none', nodes: [[100, 100], [103, 104]] },
  ],
  calibration: { pixelWidth: 0.5, pixelHeight: 0.25, unit: 'µm', source: 'user' },
});
const [neuron] = doc.neurons;
const [p1, p2, p3] = neuron.branches;

describe('the Selection panel’s name for a path', () => {
  it('numbers a path by its place among the neuron’s paths and names where it starts by the same numbers', () => {
    const px = scaleOf(null);
    expect(summarisePath(neuron, p1, px)).toEqual({ ordinal: 1, of: 3, length: 80, start: { kind: 'soma' } });
    expect(summarisePath(neuron, p2, px)).toEqual({ ordinal: 2, of: 3, length: 30, start: { kind: 'path', ordinal: 1 } });
    expect(summarisePath(neuron, p3, px)).toEqual({ ordinal: 3, of: 3, length: 5, start: { kind: 'none' } });
    expect(p2.id).not.toBe(2);
  });

  it('measures the drawn line in µm with each axis’s own pixel size, the soma stem left out', () => {
    const um = scaleOf(doc.calibration);
    // (0,30)·(0.5,0.25) = 7.5; (40,30) → (20, 7.5) = √(400 + 56.25) = 21.3600…; side path 30 px down = 7.5 µm.
    expect(summarisePath(neuron, p1, um).length).toBeCloseTo(7.5 + Math.sqrt(456.25), 12);
    expect(summarisePath(neuron, p2, um).length).toBe(7.5);
  });

  it('a node by its place on its path (findNode’s index, 1-based)', () => {
    expect(findNode(doc, p1.nodes[2].id)!.index + 1).toBe(3);
    expect(findNode(doc, p2.nodes[0].id)!.index + 1).toBe(1);
  });
});
