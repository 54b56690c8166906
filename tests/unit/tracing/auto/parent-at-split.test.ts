import { describe, expect, it } from 'vitest';
import { straightenAtSplits } from '../../../../shared/tracing/auto/parent-at-split';

type Point = [number, number];

/**
 * A parent along y = 50 from x = 0 to 200 with a bulge of `lean` px towards y < 50 over x 130..155, as a centre line
 * fitted to the blob a branch at 15° makes with it there; the branch leaves from (150, 46) upwards to the right.
 */
const bulged = (lean: number): Point[] => [
  [0, 50],
  [60, 50],
  [120, 50],
  [130, 50],
  [135, 50 - lean / 2],
  [140, 50 - lean],
  [145, 50 - lean],
  [150, 50 - lean / 2],
  [155, 50],
  [200, 50],
];
const branch: Point[] = [
  [150, 50],
  [150, 46],
  [170, 40.6],
  [200, 32.6],
];

describe('straightenAtSplits: a parent straight on both sides of where a child leaves it', () => {
  it('moves the vertices of a bulge towards the child onto the line the two sides lie on, and only those', () => {
    const line = straightenAtSplits(bulged(1.6), [branch], [2], 0);
    expect(line).toEqual([
      [0, 50],
      [60, 50],
      [120, 50],
      [130, 50],
      [135, 50],
      [140, 50],
      [145, 50],
      [150, 50],
      [155, 50],
      [200, 50],
    ]);
  });

  it('leaves the line as it was (the same array) when there is nothing to straighten', () => {
    // A lean under 0.6 px is the centre line's scatter; one wider than the parent's half-width (2 px) is its course.
    for (const lean of [0.4, 2.5]) {
      const parent = bulged(lean);
      expect(straightenAtSplits(parent, [branch], [2], 0)).toBe(parent);
    }
    // A bulge away from the child: the branch leaves downwards.
    const down = branch.map(([x, y]): Point => [x, 100 - y]);
    const parent = bulged(1.6);
    expect(straightenAtSplits(parent, [down], [2], 0)).toBe(parent);
  });

  it('leaves a parent that bends there as it is, and one with no straight stretch before the bulge', () => {
    // The parent turns by 10° at x = 120: its two sides do not lie on one line.
    const bent = bulged(1.6).map(([x, y]): Point => [x, x < 120 ? y + (120 - x) * Math.tan(Math.PI / 18) : y]);
    expect(straightenAtSplits(bent, [branch], [2], 0)).toBe(bent);
    // The parent starts at x = 125: 5 px before the bulge.
    const short = bulged(1.6).filter(([x]) => x >= 120);
    short[0] = [125, 50];
    expect(straightenAtSplits(short, [branch], [2], 0)).toBe(short);
  });

  it('reads the parent from its first own vertex on: what precedes it (its own parent’s) is neither read nor moved', () => {
    const parent: Point[] = [[0, 0], ...bulged(1.6)];
    const line = straightenAtSplits(parent, [branch], [2], 1);
    expect(line[0]).toEqual([0, 0]);
    expect(line.slice(1).every(([, y]) => y === 50)).toBe(true);
  });
});
