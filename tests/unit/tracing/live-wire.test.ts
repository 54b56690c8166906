import { describe, expect, it } from 'vitest';
import { computeCostImage, type CostImage } from '../../../shared/tracing/cost-image';
import { LiveWire } from '../../../shared/tracing/live-wire';
import { polylineLength } from '../../../shared/tracing/path-metrics';
import { simplifyPath } from '../../../shared/tracing/simplify';
import { snapToRidge } from '../../../shared/tracing/snap';
import { RamifyError } from '../../../shared/result';

const flat = (w: number, h: number, v = 1): CostImage => ({ width: w, height: h, data: new Float32Array(w * h).fill(v) });

/** 64×48 dark image with a bright 5-px-wide horizontal line centred on row 20 and a weaker vertical one on column 40. */
function lineImage(): Uint16Array {
  const w = 64;
  const img = new Uint16Array(w * 48).fill(100);
  for (let x = 0; x < w; x++) for (let dy = -2; dy <= 2; dy++) img[x + w * (20 + dy)] += Math.round(1000 * Math.exp(-(dy * dy) / 2));
  for (let y = 0; y < 48; y++) for (let dx = -2; dx <= 2; dx++) img[40 + dx + w * y] += Math.round(300 * Math.exp(-(dx * dx) / 2));
  return img;
}

describe('cost image', () => {
  it('is 1 everywhere on a flat image and lowest on the centre row of a bright line', () => {
    const { cost, reference } = computeCostImage(new Uint16Array(32 * 32).fill(500), 32, 32);
    expect(reference).toBe(0);
    expect(Array.from(new Set(cost.data))).toEqual([1]);
    const lines = computeCostImage(lineImage(), 64, 48).cost.data;
    const col = (y: number) => lines[10 + 64 * y];
    expect(col(20)).toBeLessThan(col(19));
    expect(col(20)).toBeLessThan(col(21));
    expect(col(19)).toBeLessThan(col(17));
    expect(col(5)).toBeGreaterThan(0.95);
    for (const v of lines) expect(v > 0 && v <= 1).toBe(true);
  });

  it('treats NaN and infinities as background', () => {
    const img = new Float32Array(lineImage());
    img[3 + 64 * 3] = NaN;
    img[4 + 64 * 30] = Infinity;
    const { cost } = computeCostImage(img, 64, 48);
    for (const v of cost.data) expect(Number.isFinite(v) && v > 0 && v <= 1).toBe(true);
    const zeroed = new Float32Array(lineImage());
    zeroed[3 + 64 * 3] = 0;
    zeroed[4 + 64 * 30] = 0;
    expect(Array.from(cost.data)).toEqual(Array.from(computeCostImage(zeroed, 64, 48).cost.data));
    expect(cost.data[10 + 64 * 20]).toBeLessThan(cost.data[10 + 64 * 10]);
  });

  it('works on a 1-pixel image and rejects an empty one', () => {
    expect(Array.from(computeCostImage(new Uint8Array([7]), 1, 1).cost.data)).toEqual([1]);
    expect(() => computeCostImage(new Uint8Array(0), 0, 0)).toThrow(RamifyError);
    expect(() => computeCostImage(new Uint8Array(4), 2, 2, { scales: [0] })).toThrow(RamifyError);
  });
});

describe('LiveWire', () => {
  it('on uniform cost takes an 8-connected shortest path: 5 diagonal + 5 straight steps', () => {
    const lw = new LiveWire(flat(20, 20));
    const stats = lw.setAnchor(0.2, 0.9);
    expect(stats).toMatchObject({ anchor: [0.5, 0.5], settled: 400, total: 400, done: true });
    const path = lw.pathTo(10.7, 5.1);
    expect(path.length).toBe(11);
    expect(path[0]).toEqual([0.5, 0.5]);
    expect(path[10]).toEqual([10.5, 5.5]);
    expect(lw.costTo(10.7, 5.1)).toBeCloseTo(5 * Math.SQRT2 + 5, 10);
    expect(polylineLength(path)).toBeCloseTo(5 * Math.SQRT2 + 5, 10);
  });

  it('follows the bright line instead of the straight chord', () => {
    const { cost } = computeCostImage(lineImage(), 64, 48);
    const lw = new LiveWire(cost);
    lw.setAnchor(2.5, 20.5);
    const path = lw.pathTo(60.5, 20.5);
    expect(path.length).toBe(59);
    expect(path.every(([, y]) => y === 20.5)).toBe(true);
    // From the horizontal line to the bottom of the weaker vertical one: along row 20, then down column 40.
    const down = lw.pathTo(40.5, 46.5);
    // 27 pixels from row 20 to 46 on column 40, minus the two where it cuts the corner diagonally.
    expect(down.filter(([x]) => x === 40.5).length).toBe(25);
    expect(down.every(([x, y]) => y === 20.5 || x === 40.5 || (x === 39.5 && y === 21.5))).toBe(true);
  });

  it('clamps points outside the image to the edge pixel', () => {
    const lw = new LiveWire(flat(10, 8));
    expect(lw.setAnchor(-5, 100).anchor).toEqual([0.5, 7.5]);
    const path = lw.pathTo(1e9, -3);
    expect(path[path.length - 1]).toEqual([9.5, 0.5]);
    expect(path.length).toBe(10);
  });

  it('rejects NaN points and pathTo before setAnchor', () => {
    const lw = new LiveWire(flat(4, 4));
    expect(() => lw.pathTo(1, 1)).toThrow(/no anchor/);
    expect(() => lw.setAnchor(NaN, 1)).toThrow(RamifyError);
  });

  it('handles a 1-pixel image and a 1-row image', () => {
    const one = new LiveWire(flat(1, 1));
    one.setAnchor(0, 0);
    expect(one.pathTo(5, 5)).toEqual([[0.5, 0.5]]);
    const row = new LiveWire(flat(7, 1, 0.5));
    row.setAnchor(6.2, 0);
    expect(row.pathTo(0, 0).map((p) => p[0])).toEqual([6.5, 5.5, 4.5, 3.5, 2.5, 1.5, 0.5]);
    expect(row.costTo(0, 0)).toBeCloseTo(3, 10);
  });

  it('searches in budgeted steps and gives the same path as a full search', () => {
    const { cost } = computeCostImage(lineImage(), 64, 48);
    const full = new LiveWire(cost);
    full.setAnchor(5, 5);
    const expected = full.pathTo(60, 40);
    const lw = new LiveWire(cost);
    const first = lw.setAnchor(5, 5, 100);
    expect(first).toMatchObject({ settled: 100, done: false });
    expect(lw.isSettled(60, 40)).toBe(false);
    expect(lw.continueSearch(50).settled).toBe(150);
    expect(lw.pathTo(60, 40)).toEqual(expected);
    expect(lw.continueSearch().done).toBe(true);
    expect(lw.continueSearch().settled).toBe(64 * 48);
  });

  it('rejects an inconsistent cost image', () => {
    expect(() => new LiveWire({ width: 3, height: 3, data: new Float32Array(8) })).toThrow(RamifyError);
  });
});

describe('snapToRidge and simplifyPath', () => {
  it('snaps to the lowest cost within the radius, not beyond', () => {
    const { cost } = computeCostImage(lineImage(), 64, 48);
    expect(snapToRidge(cost, 10.2, 17.9, 3)).toEqual([10.5, 20.5]);
    expect(snapToRidge(cost, 10.2, 15.9, 3)[1]).toBeLessThan(20);
    expect(snapToRidge(cost, -4, 20.1, 2)).toEqual([0.5, 20.5]);
  });

  it('keeps corners and drops collinear pixels', () => {
    const path: Array<[number, number]> = [];
    for (let x = 0; x <= 10; x++) path.push([x + 0.5, 0.5]);
    for (let y = 1; y <= 5; y++) path.push([10.5, y + 0.5]);
    expect(simplifyPath(path, 0.5)).toEqual([[0.5, 0.5], [10.5, 0.5], [10.5, 5.5]]);
    // A one-pixel staircase stays within 0.5 px of its chord, so only the ends remain.
    const stairs: Array<[number, number]> = [[0.5, 0.5], [1.5, 0.5], [2.5, 1.5], [3.5, 1.5], [4.5, 2.5]];
    expect(simplifyPath(stairs, 0.5)).toEqual([[0.5, 0.5], [4.5, 2.5]]);
    expect(simplifyPath([[1, 2]], 0.5)).toEqual([[1, 2]]);
  });
});
