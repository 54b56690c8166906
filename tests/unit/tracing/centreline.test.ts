import { describe, expect, it } from 'vitest';
import { refineCentreline } from '../../../shared/tracing/centreline';
import { RamifyError } from '../../../shared/result';
import { pointSegmentDistance2 } from '../../../shared/tracing/simplify';
import { prepareTracing, snapClick, traceClicks } from '../../../shared/tracing/trace-clicks';

type Pt = [number, number];

/** A bright Gaussian tube (σ 1.5 px) along a curve given by its distance function, sampled at pixel centres. */
function tubeImage(width: number, height: number, distance: (x: number, y: number) => number): Float32Array {
  const img = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) img[x + width * y] = 100 + 1000 * Math.exp(-(distance(x + 0.5, y + 0.5) ** 2) / (2 * 1.5 * 1.5));
  return img;
}

/** Points every 0.5 px along the polyline. */
function along(line: readonly Pt[]): Pt[] {
  const out: Pt[] = [];
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = line[i - 1];
    const [bx, by] = line[i];
    const n = Math.max(1, Math.ceil(2 * Math.hypot(bx - ax, by - ay)));
    for (let k = 0; k <= n; k++) out.push([ax + ((bx - ax) * k) / n, ay + ((by - ay) * k) / n]);
  }
  return out;
}

// Line y = 20.3 + 0.15·(x − 10): crosses pixel rows at a shallow angle, so its pixel path jogs every ~7 px.
const slope = 0.15;
const lineDistance = (x: number, y: number) => Math.abs(y - 20.3 - slope * (x - 10)) / Math.hypot(1, slope);
// Circle of radius 30 about (48.3, 47.6).
const circleDistance = (x: number, y: number) => Math.abs(Math.hypot(x - 48.3, y - 47.6) - 30);

describe('centre-line refinement on tubes with a known centre line', () => {
  it('stores a straight sub-pixel line within 0.03 px, with 2 nodes, from a jogging live-wire path', () => {
    const tp = prepareTracing(tubeImage(72, 48, lineDistance), 72, 48);
    const nodes = traceClicks(tp, [{ x: 6, y: 19.1 }, { x: 64, y: 28.4 }]);
    for (const p of along(nodes)) expect(lineDistance(p[0], p[1])).toBeLessThan(0.03);
    expect(nodes.length).toBe(2);
    // The raw pixel path strays up to half a pixel (the staircase the refinement removes).
    tp.wire.setAnchor(nodes[0][0], nodes[0][1], 0);
    const raw = tp.wire.pathTo(nodes[1][0], nodes[1][1]);
    expect(Math.max(...raw.map((p) => lineDistance(p[0], p[1])))).toBeGreaterThan(0.4);
  });

  it('follows a circle of radius 30 px: nodes within 0.1 px, chords within the 0.2 px simplification tolerance more', () => {
    const tp = prepareTracing(tubeImage(96, 96, circleDistance), 96, 96);
    const clicks = [0, 1, 2, 3].map((k): { x: number; y: number } => ({ x: 48.3 + 30 * Math.cos(0.2 + k * 0.7), y: 47.6 + 30 * Math.sin(0.2 + k * 0.7) }));
    const nodes = traceClicks(tp, clicks);
    // Any ridge found by smoothing lies σ²/2R outside a bend (0.07 px here: tube σ 1.5, smoothing σ 1.41, R 30).
    for (const p of nodes) expect(circleDistance(p[0], p[1])).toBeLessThan(0.1);
    for (const p of along(nodes)) expect(circleDistance(p[0], p[1])).toBeLessThan(0.3);
    // Every click is a node, on the circle and where it was clicked along it (to 0.1 px).
    for (const c of clicks) {
      const hit = nodes.find((p) => Math.hypot(p[0] - c.x, p[1] - c.y) < 0.1);
      expect(hit, `click ${c.x},${c.y}`).toBeDefined();
    }
  });

  it('keeps anchors exactly, and a straight stretch off the ridge straight', () => {
    const flat = { width: 40, height: 40, sigma: 1, data: new Float32Array(1600).fill(7) };
    const path: Pt[] = [[2.5, 2.5], [3.5, 3.5], [4.5, 3.5], [5.5, 4.5], [6.5, 4.5], [7.5, 5.5], [8.5, 6.5]];
    const out = refineCentreline(flat, path, [3]);
    expect(out[0]).toEqual([2.5, 2.5]);
    expect(out).toContainEqual([5.5, 4.5]);
    expect(out.at(-1)).toEqual([8.5, 6.5]);
    // Without a ridge nothing moves across; smoothing turns the staircase into gentle curves through the anchors.
    expect(refineCentreline(flat, [[1, 1], [30, 20]], [])).toEqual([[1, 1], [30, 20]]);
    expect(() => refineCentreline(flat, [[1, NaN]], [])).toThrow(RamifyError);
  });

  it('snaps a click 2 px beside the tube onto its centre line without sliding along it', () => {
    const tp = prepareTracing(tubeImage(72, 48, lineDistance), 72, 48);
    const onLine = (x: number): Pt => [x, 20.3 + slope * (x - 10)];
    const [x0, y0] = onLine(30);
    const n = [-slope / Math.hypot(1, slope), 1 / Math.hypot(1, slope)];
    const p = snapClick(tp, x0 + 2 * n[0], y0 + 2 * n[1], true);
    expect(Math.hypot(p[0] - x0, p[1] - y0)).toBeLessThan(0.03);
    expect(snapClick(tp, x0 + 2 * n[0], y0 + 2 * n[1], false)).toEqual([x0 + 2 * n[0], y0 + 2 * n[1]]);
  });

  it('a child branch leaving at 35° or 45° does not pull the parent\'s stored line at the branch point (< 0.05 px)', () => {
    // Parent y = 30.3, child from (50, 30.3) at `deg` below it; the image is the brighter of the two tubes. Without
    // weighting lopsided cross-sections the stored parent passed 0.34 / 0.32 px off at the branch point (now 0.01).
    const offsetAtBranchPoint = (deg: number): number => {
      const W = 110;
      const H = 70;
      const end: Pt = [50 + 50 * Math.cos((deg * Math.PI) / 180), 30.3 + 50 * Math.sin((deg * Math.PI) / 180)];
      const tp = prepareTracing(tubeImage(W, H, (x, y) => Math.min(Math.abs(y - 30.3), Math.sqrt(pointSegmentDistance2(x, y, 50, 30.3, end[0], end[1])))), W, H);
      const nodes = traceClicks(tp, [{ x: 6, y: 30.3 }, { x: 104, y: 30.3 }]);
      const k = nodes.findIndex((p) => p[0] >= 50);
      const [a, b] = [nodes[k - 1], nodes[k]];
      return a[1] + ((50 - a[0]) / (b[0] - a[0])) * (b[1] - a[1]) - 30.3;
    };
    const at35 = offsetAtBranchPoint(35);
    const at45 = offsetAtBranchPoint(45);
    expect(Math.abs(at35)).toBeLessThan(0.05);
    expect(Math.abs(at45)).toBeLessThan(0.05);
  });
});
