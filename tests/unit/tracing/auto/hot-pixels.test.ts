import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderMorphology } from '../../../../build/tools/render-morphology';
import { makeRng } from '../../../../build/tools/synthetic-neuron';
import { decodeImage } from '../../../../shared/image/decode';
import { traceAndScore } from '../../../../shared/tracing/auto/gold-standard';
import { removeHotPixels } from '../../../../shared/tracing/hot-pixels';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { prepareTracing, snapClick, traceClicks } from '../../../../shared/tracing/trace-clicks';
import { sharedData } from './reference-data';

const W = 120;

/** Noise of σ 8 around 100, in whole grey levels, with a horizontal neurite 3 px wide (+150) along row 60. */
function field(seed = 4): Float32Array {
  const { normal } = makeRng(seed);
  return Float32Array.from({ length: W * W }, (_, i) => Math.round(100 + (Math.abs(Math.floor(i / W) - 60) <= 1 ? 150 : 0) + 8 * normal()));
}

/** The median of a px's neighbours inside the plane (8, or 5 or 3 on the border), as a reader would take it. */
function neighbourMedian(plane: Float32Array, i: number): number {
  const [x, y] = [i % W, Math.floor(i / W)];
  const around: number[] = [];
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if ((dx || dy) && x + dx >= 0 && y + dy >= 0 && x + dx < W && y + dy < W) around.push(plane[x + dx + (y + dy) * W]);
  around.sort((a, b) => a - b);
  const h = around.length >> 1;
  return around.length % 2 ? around[h] : (around[h - 1] + around[h]) / 2;
}

describe('hot px (removeHotPixels)', () => {
  it('each px standing alone far above its neighbours, in the field, on the neurite, on the border or in a corner, takes the median of its neighbours; no other px changes', () => {
    const clean = field();
    const hot = [5 * W + 7, 30 * W + 90, 60 * W + 33, 0, W - 1, W * W - 1, 77 * W, 44 * W + W - 1, 90 * W + 15, W * 12 + 60];
    const values = [65535, 4000, 4000, 600, 1200, 30000, 900, 2500, 400, 65535];
    const plane = Float32Array.from(clean);
    hot.forEach((i, k) => (plane[i] = values[k]));
    const expected = Float32Array.from(plane);
    for (const i of hot) expected[i] = neighbourMedian(plane, i);
    expect(removeHotPixels(plane, W, W)).toBe(hot.length);
    expect(plane).toEqual(expected);
  });

  it('on a plane with a blank margin of NaN (as a caller may pass one): the blanks stay NaN, their neighbours stay, a hot px away from them still goes', () => {
    const plane = field();
    for (let y = 0; y < W; y++) for (let x = 0; x < 10; x++) plane[y * W + x] = NaN;
    plane[50 * W + 80] = 5000;
    const expected = Float32Array.from(plane);
    expected[50 * W + 80] = neighbourMedian(plane, 50 * W + 80);
    expect(removeHotPixels(plane, W, W)).toBe(1);
    expect(plane).toEqual(expected);
  });

  it('leaves the noise, a neurite, a speck three px across and a bright neurite with shot noise alone', () => {
    const plane = field();
    // A speck: 3 × 3 px, its centre 40 above its neighbours (a punctum, not a hot px).
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) plane[(20 + dy) * W + 20 + dx] += dx || dy ? 60 : 100;
    // Shot noise: a neurite of 1900 whose noise is its square root (σ 44), on a background of 200 (σ 14).
    const { normal } = makeRng(9);
    for (let y = 95; y <= 99; y++) for (let x = 0; x < W; x++) plane[y * W + x] = Math.round(1900 + 44 * normal());
    const before = Float32Array.from(plane);
    expect(removeHotPixels(plane, W, W)).toBe(0);
    expect(plane).toEqual(before);
  });

  it('changes none of the reference micrographs: the bundled sample, NeuronJ’s neurites.tif (through its colour map)', () => {
    const sample = decodeImage(new Uint8Array(readFileSync(new URL('../../../../build/sample/sample-neurons.tif', import.meta.url))));
    expect(signalFromPlane(sample.planes[0], sample.info).stored).toBe(true);
    const neurites = decodeImage(new Uint8Array(readFileSync(new URL('../../../fixtures/neuronj/neurites.tif', import.meta.url))));
    const signal = signalFromPlane(neurites.planes[0], neurites.info);
    expect(removeHotPixels(Float32Array.from(signal.data), neurites.info.width, neurites.info.height)).toBe(0);
  });
});

describe('manual tracing beside hot px', () => {
  // The neurite's centre is row 60's centre, y = 60.5; three hot px of 4000 lie 5, 3.5 and 3 px from it.
  const plane = Uint16Array.from(field());
  const hot = [55 * W + 60, 64 * W + 35, 57 * W + 85];
  for (const i of hot) plane[i] = 4000;
  const tp = prepareTracing(plane, W, W);

  it('a click a few px from the neurite, nearer a hot px, lands on the neurite’s centre line (before: between the two, 3 px off)', () => {
    for (const [x, y] of [[60, 57], [60, 56], [61, 58], [35, 62], [85, 58], [85, 59]]) {
      const [sx, sy] = snapClick(tp, x + 0.5, y + 0.5, true);
      expect(Math.abs(sy - 60.5)).toBeLessThan(0.1);
      expect(Math.abs(sx - (x + 0.5))).toBeLessThan(1.1);
    }
  });

  it('the path along the neurite past them stays on its centre line (before: 5 nodes, one 0.5 px off it)', () => {
    const nodes = traceClicks(tp, [{ x: 20, y: 60 }, { x: 100, y: 60 }]);
    expect(nodes).toHaveLength(2);
    for (const [, y] of nodes) expect(Math.abs(y - 60.5)).toBeLessThan(0.1);
  });

  it('the picture itself keeps them: only the live-wire’s plane is without', () => {
    for (const i of hot) expect(plane[i]).toBe(4000);
    for (const i of hot) expect(tp.smoothed.data[i]).toBeLessThan(400);
  });
});

const swc21dpi = sharedData('swc/snt/21dpi_contra_infra_01.swc');

describe.skipIf(!swc21dpi)('SNT 21dpi drawn with noise σ 8 (draw 7) and 50 hot px of 4000 scattered over it, one click at its root', () => {
  it('DIADEM at 1.2 px is the clean draw’s (0.886; 0.530 before hot px were taken out)', () => {
    const draw = () => renderMorphology(new TextDecoder().decode(swc21dpi), { unitsPerPx: 0.5, noise: 8, seed: 7 });
    const clean = draw();
    const m = draw();
    const { uniform } = makeRng(107);
    const plane = m.image.planes[0] as Uint16Array;
    for (let k = 0; k < 50; k++) plane[Math.floor(uniform() * plane.length)] = 4000;
    const cleanScore = traceAndScore(clean.image, clean.gold, { seeds: [clean.root] }).diadem;
    expect(cleanScore).toBeGreaterThanOrEqual(0.88);
    expect(traceAndScore(m.image, m.gold, { seeds: [m.root] }).diadem).toBe(cleanScore);
  });
});
