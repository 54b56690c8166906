import { describe, expect, it } from 'vitest';
import { dropFlankLeaves } from '../../../../shared/tracing/auto/flank-leaves';
import type { SegmentForest } from '../../../../shared/tracing/auto/segments';

// A hand-made forest on a 60 × 30 image, every step 1 px: segment 0 runs along row 10 (x 0..49), 2 px in radius (a
// leaf within 3 × 2 = 6 px of it all along runs beside it); segment 1, a leaf, leaves it at x 20 by the pixels given.
const WIDTH = 60;
const HEIGHT = 30;
function forestWith(leaf: Array<[number, number]>, weight = new Float32Array(WIDTH * HEIGHT).fill(1)) {
  const rows = [Array.from({ length: 50 }, (_, x): [number, number] => [x, 10]), leaf];
  const length = Int32Array.from(rows.map((r) => r.length));
  const forest = {
    width: WIDTH, height: HEIGHT, pixels: Int32Array.from(rows.flat().map(([x, y]) => x + WIDTH * y)), start: Int32Array.from([0, length[0]]), length, count: 2,
    parentSegment: Int32Array.from([-1, 0]), attachAt: Int32Array.from([-1, 20]), region: Int32Array.from([0, 0]), weightedLength: Float64Array.from(length),
    geometricLength: Float64Array.from(length), firstGap: Int32Array.from(length), firstContact: Int32Array.from(length), allowed: new Uint8Array(WIDTH * HEIGHT).fill(1),
    byLength: Int32Array.from([0, 1]), stepLength: new Float32Array(WIDTH * HEIGHT).fill(1), weight,
  } satisfies SegmentForest;
  const radius = new Float32Array(WIDTH * HEIGHT).fill(1);
  for (let x = 0; x < 50; x++) radius[x + WIDTH * 10] = 2;
  return { forest, radius };
}
const kept = (leaf: Array<[number, number]>, weight?: Float32Array<ArrayBuffer>) => {
  const { forest, radius } = forestWith(leaf, weight);
  const k = Uint8Array.from([1, 1]);
  const dropped = dropFlankLeaves(forest, k, Int32Array.from(forest.parentSegment), Int32Array.from(forest.attachAt), radius, forest.length);
  return { kept: Array.from(k), dropped };
};

// Steps down to row 13 (3 px from the parent) and runs beside it to x 35: 16 px, its tip 3 px from the parent.
const beside: Array<[number, number]> = [[21, 11], [22, 12], ...Array.from({ length: 14 }, (_, k): [number, number] => [23 + k, 13])];

describe('dropFlankLeaves: a leaf that runs beside its parent is its flank, not a branch', () => {
  it('a leaf 3 px beside a neurite 2 px in radius, all bright between: dropped', () => {
    expect(kept(beside)).toEqual({ kept: [1, 0], dropped: 1 });
  });

  it('…kept with background between its tip and the neurite (two neurites side by side)', () => {
    const gap = new Float32Array(WIDTH * HEIGHT).fill(1);
    for (let x = 24; x < 50; x++) for (const y of [11, 12]) gap[x + WIDTH * y] = 0;
    expect(kept(beside, gap)).toEqual({ kept: [1, 1], dropped: 0 });
  });

  it('a spur at a right angle, 5 px long (within 6 px of the parent, but its tip as far as it is long): kept', () => {
    expect(kept(Array.from({ length: 5 }, (_, k): [number, number] => [20, 11 + k])).kept).toEqual([1, 1]);
  });

  it('a leaf that leaves and comes back to end beside its parent (a neurite meeting it again): kept', () => {
    const loop: Array<[number, number]> = [
      ...Array.from({ length: 10 }, (_, k): [number, number] => [21, 11 + k]),
      ...Array.from({ length: 10 }, (_, k): [number, number] => [22 + k, 20]),
      ...Array.from({ length: 8 }, (_, k): [number, number] => [32, 19 - k]),
    ];
    expect(kept(loop).kept).toEqual([1, 1]);
  });

  it('a leaf beside a parent farther than 3 radii (row 17, 7 px off): kept', () => {
    const far: Array<[number, number]> = [...Array.from({ length: 7 }, (_, k): [number, number] => [21 + k, 11 + k]), ...Array.from({ length: 12 }, (_, k): [number, number] => [28 + k, 17])];
    expect(kept(far).kept).toEqual([1, 1]);
  });
});
