import { describe, expect, it } from 'vitest';
import { diademMetric, type DiademTree } from '../../../shared/analysis/diadem';

/** A planar tree from [x, y, parent] rows (parent −1 for the root). */
function tree(rows: Array<[number, number, number]>): DiademTree {
  return { x: rows.map((r) => r[0]), y: rows.map((r) => r[1]), z: rows.map(() => 0), parent: rows.map((r) => r[2]) };
}

// Root (0, 0) → bifurcation B (10, 0) → tips T1 (20, 5) and T2 (20, −5), with continuation nodes on the way.
// Weights (terminal degree): B 2, T1 1, T2 1; total 4.
const gold = tree([
  [0, 0, -1],
  [5, 0, 0],
  [10, 0, 1], // B
  [15, 2.5, 2],
  [20, 5, 3], // T1
  [20, -5, 2], // T2
]);

describe('DIADEM metric (hand-computed trees)', () => {
  it('identical trees score 1 with every key node matched', () => {
    const r = diademMetric(gold, gold);
    expect(r).toMatchObject({ score: 1, goldWeight: 4, matchedWeight: 4, excessWeight: 0, goldNodes: 3, misses: [], continuations: [], excess: [] });
    expect(r.matches).toEqual([[0, 0], [2, 2], [4, 4], [5, 5]]);
  });

  it('continuation nodes do not matter: the same tree sampled differently scores 1', () => {
    const test = tree([
      [0, 0, -1],
      [10, 0, 0],
      [20, 5, 1],
      [12, -1, 1],
      [20, -5, 3],
    ]);
    // T2's test path is 10 + √5 + √80 = 21.18 vs 10 + √125 = 21.18 in gold: within 5 % + 0.
    expect(diademMetric(gold, test).score).toBe(1);
  });

  it('a missing branch: T2 missed (1), B a continuation (2 kept): 3/4', () => {
    const test = tree([
      [0, 0, -1],
      [10, 0, 0],
      [20, 5, 1],
    ]);
    const r = diademMetric(gold, test);
    expect(r.misses).toEqual([5]);
    expect(r.continuations).toEqual([2]);
    expect(r.score).toBe(0.75);
  });

  it('ends within 1.2 match, ends 1.5 off do not: tips moved 1 px score 1, moved 1.5 px lose both tips (2/4)', () => {
    const moved = (d: number) =>
      tree([
        [0, 0, -1],
        [10, 0, 0],
        [20 + d, 5, 1],
        [20 + d, -5, 1],
      ]);
    expect(diademMetric(gold, moved(1)).score).toBe(1);
    const far = diademMetric(gold, moved(1.5));
    expect(far.misses).toEqual([4, 5]);
    // The two test tips 1.5 off have no gold node within 1.2: both are excess (1 each): 2 / (4 + 2).
    expect(far.excessWeight).toBe(2);
    expect(far.score).toBeCloseTo(2 / 6, 12);
  });

  it('a spur: one excess termination and the excess bifurcation it hangs from (1 each): 4/6', () => {
    const test = tree([
      [0, 0, -1],
      [10, 0, 0],
      [15, 2.5, 1], // new bifurcation on B→T1, 5.6 from any gold key node
      [20, 5, 2],
      [15, 10, 2], // spur tip
      [20, -5, 1],
    ]);
    const r = diademMetric(gold, test);
    expect(r.matchedWeight).toBe(4);
    expect(r.excess).toEqual([2, 4]);
    expect(r.excessWeight).toBe(2);
    expect(r.score).toBeCloseTo(4 / 6, 12);
    expect(diademMetric(gold, test, { countExcessNodes: false }).score).toBe(1);
  });

  it('path lengths must agree: a detour of 30 % to T1 misses T1 only (3/4)', () => {
    // B → (15, 9) → T1: √106 + √41 = 16.70 vs √125 = 11.18 in gold, far over 5 % (0.56).
    const test = tree([
      [0, 0, -1],
      [10, 0, 0],
      [15, 9, 1],
      [20, 5, 2],
      [20, -5, 1],
    ]);
    const r = diademMetric(gold, test);
    expect(r.misses).toEqual([4]);
    expect(r.score).toBe(0.75);
  });

  it('wrong topology: a test T2 hanging from the root by a longer path is not T2 (distant match fails on length)', () => {
    // Test T2 path from the root: (0, 0) → (0, −5) → (20, −5) = 25; gold root → T2 is 21.18 (nearest matched ancestor
    // whose match is above the test T2 is the root). 3.82 > 0.05·21.18 = 1.06: no match, and no excess (gold T2 is there).
    const test = tree([
      [0, 0, -1],
      [10, 0, 0],
      [20, 5, 1],
      [0, -5, 0],
      [20, -5, 3],
    ]);
    const r = diademMetric(gold, test);
    expect(r.misses).toEqual([5]);
    // The test has no key node at B, but runs through it from the root to T1: B is a continuation; (2 + 1) / 4.
    expect(r.continuations).toEqual([2]);
    expect(r.score).toBe(0.75);
  });

  it('weights by subtree size: losing a big subtree costs more than a tip', () => {
    // Gold: root → A (10, 0) with children tip a (10, 10) and bifurcation C (20, 0) → tips c1 (30, 5), c2 (30, −5).
    const g2 = tree([
      [0, 0, -1],
      [10, 0, 0], // A: degree 3
      [10, 10, 1], // a: 1
      [20, 0, 1], // C: 2
      [30, 5, 3], // c1: 1
      [30, -5, 3], // c2: 1
    ]);
    // Test without C's subtree: A's side is a continuation to a (weight 3 kept), C, c1, c2 missed: 4 of 8.
    const noC = tree([
      [0, 0, -1],
      [10, 0, 0],
      [10, 10, 1],
    ]);
    expect(diademMetric(g2, noC).score).toBe(0.5);
    // Test without the tip a: A continuation (3), C, c1, c2 matched (4): 7 of 8.
    const noA = tree([
      [0, 0, -1],
      [20, 0, 0],
      [30, 5, 1],
      [30, -5, 1],
    ]);
    expect(diademMetric(g2, noA).score).toBe(7 / 8);
  });

  it('z threshold: a match must also be within zThreshold in Z', () => {
    const lifted: DiademTree = { ...gold, z: [0, 0, 0, 0, 3, 0] };
    expect(diademMetric(gold, lifted).score).toBe(1);
    // T1 3 above: missed and excess with zThreshold 2; the path check is not reached.
    const r = diademMetric(gold, lifted, { zThreshold: 2 });
    expect(r.misses).toEqual([4]);
    expect(r.score).toBeCloseTo(3 / 5, 12);
  });
});
