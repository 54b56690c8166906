import { describe, expect, it } from 'vitest';
import type { AutoBranch, AutoNeuron, AutoNode } from '../../../../shared/tracing/auto/auto-neuron';
import { cornerForks, newCornerReads } from '../../../../shared/tracing/auto/corner-at-split';

// Hand-made arbors, neurites 1.5 px in radius: the arms are read 4-8 px out from a fork (twice the radius + 1, then
// 4 px more). The true fork is at (50, 50): a neurite runs along row 50 from x 0 to 100, and a branch leaves it there
// at 60° (down and right, the image's y pointing down).
const R = 1.5;
const node = (x: number, y: number): AutoNode => ({ x, y, r: R });
const row = (from: number, to: number, y = 50) => Array.from({ length: to - from + 1 }, (_, k) => node(from + k, y));
/** Points t px from the fork along the 60° branch, t = from..to. */
const branch60 = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => node(50 + (from + k) * 0.5, 50 + (from + k) * Math.sqrt(3) / 2));
const neuron = (...branches: Array<Pick<AutoBranch, 'parent' | 'parentNode' | 'nodes'>>): AutoNeuron => ({
  soma: node(0, 50),
  fibre: true,
  branches: branches.map((b) => ({ ...b, doubts: [], spots: [] })),
});
const at = (n: AutoNeuron, b: number, k: number) => [n.branches[b].nodes[k].x, n.branches[b].nodes[k].y];
/** The node a branch hangs from, as coordinates. */
const forkOf = (n: AutoNeuron, b: number) => at(n, n.branches[b].parent, n.branches[b].parentNode);
const close = (p: number[], q: number[]) => {
  expect(p[0]).toBeCloseTo(q[0], 6);
  expect(p[1]).toBeCloseTo(q[1], 6);
};

// The search's main path comes along row 50 and turns into the branch, cutting the corner from (47, 50) to the
// branch 1 px out; the neurite running straight on is the child, hung where its line met the cut, 3 px short.
const cutIntoBranch = () => neuron({ parent: -1, parentNode: -1, nodes: [...row(1, 47), ...branch60(1, 40)] }, { parent: 0, parentNode: 46, nodes: row(48, 100) });

describe('cornerForks: a fork where the parent cuts a corner goes where the centre lines meet', () => {
  it('the parent turns into the branch and the child runs straight on: the fork moves 3 px, onto (50, 50)', () => {
    const before = cutIntoBranch();
    close(forkOf(before, 1), [47, 50]);
    const after = cornerForks(before, 1, newCornerReads());
    close(forkOf(after, 1), [50, 50]);
    // The parent runs along the row to the fork and leaves on the branch; the child starts from the fork.
    const parent = after.branches[0].nodes;
    const k = after.branches[1].parentNode;
    close(at(after, 0, k - 1), [49, 50]);
    expect(parent.slice(k + 1).every((p) => Math.abs(Math.atan2(p.y - 50, p.x - 50) - Math.PI / 3) < 1e-9)).toBe(true);
    expect(after.branches[1].nodes.every((p) => p.y === 50 && p.x > 50)).toBe(true);
    // Nodes stay at most `spacing` (1 px) apart along both.
    for (const line of [parent.slice(k - 5), [parent[k], ...after.branches[1].nodes]]) {
      for (let i = 1; i < line.length; i++) expect(Math.hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y)).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('the parent comes in on the branch and turns along the row, the child running on the row the other way: onto (50, 50)', () => {
    // Reversed roles: from the branch's far end inwards, cutting from 1 px out on it to (53, 50); the child runs left.
    const before = neuron(
      { parent: -1, parentNode: -1, nodes: [...branch60(1, 40).reverse(), ...row(53, 100)] },
      { parent: 0, parentNode: 40, nodes: row(0, 52).reverse() },
    );
    close(forkOf(before, 1), [53, 50]);
    close(forkOf(cornerForks(before, 1, newCornerReads()), 1), [50, 50]);
  });

  it('a parent that runs straight through, its child already at the fork: unchanged (the same neuron)', () => {
    const straight = neuron({ parent: -1, parentNode: -1, nodes: row(1, 100) }, { parent: 0, parentNode: 49, nodes: branch60(1, 40) });
    expect(cornerForks(straight, 1, newCornerReads())).toBe(straight);
  });

  it('a parent that turns onto a third arm curving into the row (no straight line to extend): unchanged', () => {
    // The branch bends by 20° 6 px out, between the stretch its direction is read on and the next: extended straight
    // from where it leaves the overlap it would meet the row elsewhere.
    const bend = (t: number) => (t < 6 ? Math.PI / 3 : Math.PI / 3 + (20 * Math.PI) / 180);
    const pts: AutoNode[] = [];
    let [x, y] = [50.5, 50 + Math.sqrt(3) / 2];
    for (let t = 1; t <= 40; t++) {
      pts.push(node(x, y));
      x += Math.cos(bend(t));
      y += Math.sin(bend(t));
    }
    const curved = neuron({ parent: -1, parentNode: -1, nodes: [...row(1, 47), ...pts] }, { parent: 0, parentNode: 46, nodes: row(48, 100) });
    expect(cornerForks(curved, 1, newCornerReads())).toBe(curved);
  });

  it('another fork within the stretch the parent would be redrawn over: unchanged', () => {
    const before = cutIntoBranch();
    before.branches.push({ parent: 0, parentNode: 44, nodes: [node(44, 49), node(44, 40)], doubts: [], spots: [] });
    expect(cornerForks(before, 1, newCornerReads()).branches[1]).toBe(before.branches[1]);
  });

  it('two children hung at one node short of a junction of four straight arms: both move onto the junction', () => {
    // A second branch leaves at −60° (up and right) from (50, 50); both children were hung 3 px short, at (47, 50).
    const up = Array.from({ length: 40 }, (_, k) => node(50 + (k + 1) * 0.5, 50 - ((k + 1) * Math.sqrt(3)) / 2));
    const four = (dy: number) => {
      const n = cutIntoBranch();
      n.branches.push({ parent: 0, parentNode: 46, nodes: up.map((p) => node(p.x, p.y + dy)), doubts: [], spots: [] });
      return n;
    };
    const after = cornerForks(four(0), 1, newCornerReads());
    close(forkOf(after, 1), [50, 50]);
    close(forkOf(after, 2), [50, 50]);
    // Lines that do not meet at one point (the second branch 2 px lower): unchanged.
    const apart = four(2);
    expect(cornerForks(apart, 1, newCornerReads())).toBe(apart);
  });

  it('the other children keep their places: one further along the parent and one on the moved child', () => {
    const before = cutIntoBranch();
    const further = before.branches[0].nodes.length - 10;
    before.branches.push({ parent: 0, parentNode: further, nodes: [node(0, 0)], doubts: [], spots: [] });
    before.branches.push({ parent: 1, parentNode: 30, nodes: [node(78, 60)], doubts: [], spots: [] });
    const after = cornerForks(before, 1, newCornerReads());
    close(forkOf(after, 1), [50, 50]);
    close(forkOf(after, 2), forkOf(before, 2));
    close(forkOf(after, 3), forkOf(before, 3));
    close(forkOf(after, 3), [78, 50]);
  });

  it('a re-prune that hands the same node lists gets the same node lists back (what the repairs after it key on)', () => {
    const reads = newCornerReads();
    const before = cutIntoBranch();
    const a = cornerForks(before, 1, reads);
    const b = cornerForks({ ...before, branches: before.branches.map((x) => ({ ...x })) }, 1, reads);
    expect(b.branches[0].nodes).toBe(a.branches[0].nodes);
    expect(b.branches[1].nodes).toBe(a.branches[1].nodes);
  });
});
