import { describe, expect, it } from 'vitest';
import type { CostImage } from '../../../shared/tracing/cost-image';
import { COST_QUANTUM, LiveWire } from '../../../shared/tracing/live-wire';
import { seededRandom as rng } from '../../../shared/random';

type Pt = [number, number];


/**
 * Costs in (0, 1] of three kinds mixed: background ~1, a cheap "neurite" band, and a few coarse levels that make many
 * equal-cost paths (ties).
 */
function randomCost(width: number, height: number, seed: number): CostImage {
  const r = rng(seed);
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) {
    const k = r();
    data[i] = k < 0.3 ? 1 : k < 0.5 ? 0.001 + 0.05 * r() : k < 0.8 ? [0.25, 0.5, 0.75][Math.floor(r() * 3)] : 1e-6 + r();
  }
  return { width, height, data };
}

/** The quantisation LiveWire documents: q = max(1, round(c·Q)); straight q_u + q_v, diagonal round((q_u + q_v)·√2). */
function quantised(cost: CostImage): Int32Array {
  return Int32Array.from(cost.data, (c) => Math.max(1, Math.round(Math.min(c, 1) * COST_QUANTUM)));
}

function stepWeight(q: Int32Array, u: number, v: number, diagonal: boolean): number {
  return diagonal ? Math.round((q[u] + q[v]) * Math.SQRT2) : q[u] + q[v];
}

/** Textbook O(n²) Dijkstra over the 8-connected grid with the quantised integer weights. */
function referenceDistances(cost: CostImage, anchor: number): number[] {
  const { width: w, height: h } = cost;
  const q = quantised(cost);
  const dist = new Array<number>(w * h).fill(Infinity);
  const done = new Array<boolean>(w * h).fill(false);
  dist[anchor] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < dist.length; i++) if (!done[i] && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0) break;
    done[u] = true;
    const ux = u % w;
    const uy = Math.floor(u / w);
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const x = ux + dx;
        const y = uy + dy;
        if ((dx === 0 && dy === 0) || x < 0 || y < 0 || x >= w || y >= h) continue;
        const v = x + w * y;
        const nd = dist[u] + stepWeight(q, u, v, dx !== 0 && dy !== 0);
        if (nd < dist[v]) dist[v] = nd;
      }
    }
  }
  return dist;
}

/** Integer cost of a pixel-centre path under the quantised weights; throws if a step is not an 8-neighbour step. */
function pathWeight(cost: CostImage, path: Pt[]): number {
  const q = quantised(cost);
  let total = 0;
  for (let i = 1; i < path.length; i++) {
    const dx = path[i][0] - path[i - 1][0];
    const dy = path[i][1] - path[i - 1][1];
    if (Math.max(Math.abs(dx), Math.abs(dy)) !== 1) throw new Error(`step ${i} of (${dx}, ${dy}) is not an 8-neighbour step`);
    const u = path[i - 1][0] - 0.5 + cost.width * (path[i - 1][1] - 0.5);
    const v = path[i][0] - 0.5 + cost.width * (path[i][1] - 0.5);
    total += stepWeight(q, u, v, dx !== 0 && dy !== 0);
  }
  return total;
}

function allPaths(lw: LiveWire, w: number, h: number): Pt[][] {
  const out: Pt[][] = [];
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.push(lw.pathTo(x + 0.5, y + 0.5));
  return out;
}

describe('LiveWire integer search (Dial buckets)', () => {
  it('finds the exact optimum of the quantised problem on random grids, with 8-connected paths ending where asked', () => {
    const sizes: Array<[number, number]> = [[13, 11], [20, 7], [1, 9], [9, 1], [16, 16]];
    let checked = 0;
    for (let k = 0; k < sizes.length; k++) {
      const [w, h] = sizes[k];
      const cost = randomCost(w, h, 100 + k);
      const ax = (k * 7) % w;
      const ay = (k * 5) % h;
      const ref = referenceDistances(cost, ax + w * ay);
      const lw = new LiveWire(cost);
      lw.setAnchor(ax + 0.25, ay + 0.75);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const path = lw.pathTo(x + 0.9, y + 0.1);
          expect(path[0]).toEqual([ax + 0.5, ay + 0.5]);
          expect(path[path.length - 1]).toEqual([x + 0.5, y + 0.5]);
          expect(pathWeight(cost, path), `(${x}, ${y}) on ${w}×${h}`).toBe(ref[x + w * y]);
          checked++;
        }
      }
    }
    expect(checked).toBe(13 * 11 + 20 * 7 + 9 + 9 + 256);
  });

  it('prefers the cheap pixel even when the costs differ by less than 1 %', () => {
    // 3×3, anchor top-left, target bottom-right: the diagonal through the centre (cost 0.5) beats detours through
    // pixels of cost 0.504 only by the 0.8 % difference, which the quantisation (1/4096) must keep.
    const data = new Float32Array(9).fill(0.504);
    data[4] = 0.5;
    const lw = new LiveWire({ width: 3, height: 3, data });
    lw.setAnchor(0.5, 0.5);
    expect(lw.pathTo(2.5, 2.5)).toEqual([[0.5, 0.5], [1.5, 1.5], [2.5, 2.5]]);
    // Float cost of that path: two diagonal steps of (0.504 + 0.5)/2 · √2.
    expect(lw.costTo(2.5, 2.5)).toBeCloseTo(2 * 0.502 * Math.SQRT2, 6);
  });

  it('gives the same paths from budgeted slices, lazy pathTo, and one full search, ties included', () => {
    const w = 37;
    const h = 23;
    const cost = randomCost(w, h, 7);
    const full = new LiveWire(cost);
    expect(full.setAnchor(18, 11)).toMatchObject({ settled: w * h, done: true });
    const expected = allPaths(full, w, h);
    for (const budgets of [[1, 1, 5, 1000], [0, 7, 13, 100, 200], [300, 1]]) {
      const lw = new LiveWire(cost);
      let stats = lw.setAnchor(18, 11, budgets[0]);
      expect(stats.settled).toBe(budgets[0]);
      let total = budgets[0];
      for (const b of budgets.slice(1)) {
        stats = lw.continueSearch(b);
        total = Math.min(w * h, total + b);
        expect(stats.settled).toBe(total);
      }
      expect(allPaths(lw, w, h)).toEqual(expected);
      expect(lw.continueSearch().done).toBe(true);
    }
    // Lazily: pathTo a nearby pixel extends the search only until that pixel is final, then everything else.
    const lazy = new LiveWire(cost);
    lazy.setAnchor(18, 11, 0);
    expect(lazy.isSettled(21, 13)).toBe(false);
    expect(lazy.pathTo(21, 13)).toEqual(expected[21 + w * 13]);
    expect(lazy.isSettled(21, 13)).toBe(true);
    const partial = lazy.continueSearch(0);
    expect(partial.done).toBe(false);
    expect(partial.settled).toBeLessThan(w * h / 2);
    expect(allPaths(lazy, w, h)).toEqual(expected);
  });

  it('forgets the previous search on a new anchor, also when its key space wraps around', () => {
    const w = 15;
    const h = 12;
    const cost = randomCost(w, h, 9);
    const lw = new LiveWire(cost);
    const anchors: Pt[] = [[0, 0], [14, 11], [7, 3], [7, 3], [2, 10]];
    for (const [i, [ax, ay]] of anchors.entries()) {
      // Half-finished searches leave stale state behind for the next anchor.
      if (i === 3) Reflect.set(lw, 'top', 0x7fffffff - 5); // white-box: next setAnchor must reset the keys
      lw.setAnchor(ax, ay, i % 2 === 0 ? Infinity : 20);
      const fresh = new LiveWire(cost);
      fresh.setAnchor(ax, ay);
      expect(allPaths(lw, w, h), `anchor ${i}`).toEqual(allPaths(fresh, w, h));
    }
  });

  it('treats costs above 1 as 1 and keeps zero-cost pixels strictly positive', () => {
    const lw = new LiveWire({ width: 4, height: 1, data: Float32Array.from([0, 5, 1, Number.NaN]) });
    lw.setAnchor(0, 0);
    expect(lw.pathTo(3, 0).length).toBe(4);
    // Float cost uses the values as given for the steps (0+5)/2, (5+1)/2, (1+NaN)/2: NaN only poisons costTo.
    expect(lw.costTo(2, 0)).toBe(5.5);
  });
});
