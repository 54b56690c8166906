import { describe, expect, it } from 'vitest';
import { diademMetric, type DiademTree } from '../../../../shared/analysis/diadem';
import { explainDiadem, formatExplanation, formatPlacement, placement } from '../../../bench/diadem-explain';

/** A tree from [x, y, parent index] rows (−1 for the root), on the plane. */
const tree = (rows: Array<[number, number, number]>): DiademTree => ({
  x: rows.map((r) => r[0]),
  y: rows.map((r) => r[1]),
  z: rows.map(() => 0),
  parent: rows.map((r) => r[2]),
});

const explain = (gold: DiademTree, test: DiademTree) => explainDiadem(gold, test, diademMetric(gold, test, { xyThreshold: 1.2 }), 1.2);

describe('explainDiadem: why the gold-standard bench lost each key node (hand-built trees, px)', () => {
  it('a tip traced 2 px long is placement: missed "off", and the traced tip is excess "off"', () => {
    const e = explain(tree([[0, 0, -1], [10, 0, 0]]), tree([[0, 0, -1], [12, 0, 0]]));
    expect(e.misses).toEqual([{ node: 1, kind: 'tip', weight: 1, reason: 'off' }]);
    expect(e.excess).toEqual([{ node: 1, kind: 'tip', reason: 'off' }]);
  });

  it('a tip reached by a 30 px detour instead of 10 px is "unconfirmed", though it sits exactly on the gold tip', () => {
    const e = explain(tree([[0, 0, -1], [10, 0, 0]]), tree([[0, 0, -1], [0, 10, 0], [10, 10, 1], [10, 0, 2]]));
    expect(e.misses).toEqual([{ node: 1, kind: 'tip', weight: 1, reason: 'unconfirmed' }]);
    expect(e.excess).toEqual([]);
  });

  it('a trace that runs 10 px past the gold tip: the tip is "runs-on", the traced tip "off-gold"', () => {
    const e = explain(tree([[0, 0, -1], [10, 0, 0]]), tree([[0, 0, -1], [20, 0, 0]]));
    expect(e.misses).toEqual([{ node: 1, kind: 'tip', weight: 1, reason: 'runs-on' }]);
    expect(e.excess).toEqual([{ node: 1, kind: 'tip', reason: 'off-gold' }]);
  });

  it('a tip ending 2 px from another gold branch is "touching"; a branch with nothing traced near is "untraced", weighed by its tips', () => {
    // Gold: A along y = 0 to x = 40; B from (0, 10) ending at (19, 2), 2 px from A; C from (40, 0) forking at (50, 0) into
    // two tips. Traced: A only, ending at (40, 0) where the gold runs on into C: an early end on the gold line.
    const gold = tree([[0, 0, -1], [40, 0, 0], [0, 10, 0], [19, 2, 2], [50, 0, 1], [60, 5, 4], [60, -5, 4]]);
    const e = explain(gold, tree([[0, 0, -1], [40, 0, 0]]));
    expect(e.misses).toEqual([
      { node: 3, kind: 'tip', weight: 1, reason: 'touching' },
      { node: 4, kind: 'fork', weight: 2, reason: 'untraced' },
      { node: 5, kind: 'tip', weight: 1, reason: 'untraced' },
      { node: 6, kind: 'tip', weight: 1, reason: 'untraced' },
    ]);
    expect(e.excess).toEqual([{ node: 1, kind: 'tip', reason: 'on-gold' }]);
    expect(formatExplanation(e)).toBe('missed gold nodes (count, weight): fork untraced 1 (2), tip touching 1 (1), tip untraced 2 (2); excess traced nodes: tip on-gold 1');
  });

  it('a spur off a traced neurite the gold has whole: its fork and its tip are excess "on-gold"', () => {
    const e = explain(tree([[0, 0, -1], [20, 0, 0]]), tree([[0, 0, -1], [10, 0, 0], [20, 0, 1], [10, 1.5, 1]]));
    expect(e.misses).toEqual([]);
    expect(e.excess).toEqual([
      { node: 1, kind: 'fork', reason: 'on-gold' },
      { node: 3, kind: 'tip', reason: 'on-gold' },
    ]);
  });
});

describe('placement: gold key nodes with a traced one of their kind near (hand-built trees, px)', () => {
  it('counts each gold branch point and tip by the distance to the nearest traced one of its kind, not by DIADEM', () => {
    // Gold: a fork at (10, 0) with tips at (20, 5) and (20, -5). Traced: its fork 1 px along (within 1.2 px), one tip
    // 2 px off (within 3 px only), the other tip 5 px off (neither).
    const gold = tree([[0, 0, -1], [10, 0, 0], [20, 5, 1], [20, -5, 1]]);
    const traced = tree([[0, 0, -1], [11, 0, 0], [22, 5, 1], [20, -10, 1]]);
    const p = placement([{ gold, traced }]);
    expect(p).toEqual({ forks: { total: 1, within: [1, 1] }, tips: { total: 2, within: [0, 1] } });
    expect(formatPlacement(p)).toBe('gold key nodes with a traced one of their kind within 1.2 / 3 px: branch points 100 % / 100 % of 1, tips 0 % / 50 % of 2');
  });

  it('a traced tip does not place a gold branch point: a trace that runs through the fork without the branch places none', () => {
    // The gold forks at (10, 0); the trace runs straight on to (20, 0), its only key nodes the root and a tip.
    const gold = tree([[0, 0, -1], [10, 0, 0], [20, 0, 1], [15, 8, 1]]);
    const p = placement([{ gold, traced: tree([[0, 0, -1], [10, 0, 0], [20, 0, 1]]) }]);
    expect(p.forks).toEqual({ total: 1, within: [0, 0] });
    expect(p.tips).toEqual({ total: 2, within: [1, 1] });
  });

  it('pools several trees, and a gold tree with nothing traced counts all its nodes as not placed', () => {
    const gold = tree([[0, 0, -1], [10, 0, 0], [20, 5, 1], [20, -5, 1]]);
    const p = placement([
      { gold, traced: gold },
      { gold, traced: null },
    ]);
    expect(p).toEqual({ forks: { total: 2, within: [1, 1] }, tips: { total: 4, within: [2, 2] } });
    expect(formatPlacement(placement([]))).toBe('gold key nodes with a traced one of their kind within 1.2 / 3 px: branch points – of 0, tips – of 0');
  });
});
