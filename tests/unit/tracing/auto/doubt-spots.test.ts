import { describe, expect, it } from 'vitest';
import type { TraceNode } from '../../../../shared/model/document';
import type { DoubtSpot } from '../../../../shared/tracing/auto/auto-neuron';
import { spotsOnPath } from '../../../../shared/tracing/auto/doubt-spots';

const node = (x: number, y: number): TraceNode => ({ id: 0 as TraceNode['id'], x, y, z: 0 });

describe('the places the tracer doubted that a path still passes (doubt-spots.ts)', () => {
  // A path on a node at (0, 10), its own nodes along y = 10 from x = 10 to 50; rings in a gap at x = 30, in the stretch
  // from the node it leaves at x = 5, 2.9 px beside it at x = 40, and 3.5 px beside it at x = 45.
  const nodes = [10, 20, 30, 40, 50].map((x) => node(x, 10));
  const spots: DoubtSpot[] = [
    { doubt: 'crossing', x: 5, y: 10 },
    { doubt: 'gap', x: 30, y: 10 },
    { doubt: 'gap', x: 40, y: 12.9 },
    { doubt: 'contact', x: 45, y: 13.5 },
  ];

  it('keeps those within 3 px of the path, the stretch from the node it leaves included', () => {
    expect(spotsOnPath(nodes, spots, { x: 0, y: 10 })).toEqual(spots.slice(0, 3));
    // Without its start the path begins at x = 10: the crossing at x = 5 is off it.
    expect(spotsOnPath(nodes, spots, null)).toEqual(spots.slice(1, 3));
  });

  it('a path cut short loses the rings past its end; given back (an undo: the same node list), it has them again', () => {
    const cut = nodes.slice(0, 2);
    expect(spotsOnPath(cut, spots, { x: 0, y: 10 })).toEqual([spots[0]]);
    expect(spotsOnPath(nodes, spots, { x: 0, y: 10 })).toEqual(spots.slice(0, 3));
    // A path with every ring on it hands back the tracer's own list (the canvas compares by identity).
    expect(spotsOnPath(nodes, spots.slice(0, 2), { x: 0, y: 10 })).toHaveLength(2);
    const all = spots.slice(0, 3);
    expect(spotsOnPath(nodes, all, { x: 0, y: 10 })).toBe(all);
  });

  it('a path of one node: within 3 px of it, or of the segment from its start', () => {
    expect(spotsOnPath([node(10, 10)], spots, null)).toEqual([]);
    expect(spotsOnPath([node(30, 10)], spots, null)).toEqual([spots[1]]);
    expect(spotsOnPath([node(30, 10)], spots, { x: 0, y: 10 })).toEqual(spots.slice(0, 2));
  });
});
