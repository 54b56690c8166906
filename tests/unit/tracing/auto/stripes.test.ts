import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderMorphology } from '../../../../build/tools/render-morphology';
import { makeRng } from '../../../../build/tools/synthetic-neuron';
import { decodeImage } from '../../../../shared/image/decode';
import { traceAndScore } from '../../../../shared/tracing/auto/gold-standard';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { removeStripes } from '../../../../shared/tracing/auto/stripes';
import { sharedData } from './reference-data';

const W = 200;

/** Noise of σ 8 on a background rising 100 -> 140 left to right, a neurite (+150, 3 px) along row 60; `rows` added per row. */
function field(rows: Float64Array | null, seed = 3): Float32Array {
  const { normal } = makeRng(seed);
  return Float32Array.from({ length: W * W }, (_, i) => {
    const [x, y] = [i % W, Math.floor(i / W)];
    return 100 + (40 * x) / W + (Math.abs(y - 60) <= 1 ? 150 : 0) + 8 * normal() + (rows ? rows[y] : 0);
  });
}

describe('stripes (removeStripes)', () => {
  it('rows offset by σ 6 are levelled: neighbouring rows differ by their noise only; the neurite along row 60 (a whole row) is not taken for a stripe; the columns stay', () => {
    const { normal } = makeRng(11);
    const offsets = Float64Array.from({ length: W }, () => 6 * normal());
    const plane = field(offsets);
    const before = Float32Array.from(plane);
    expect(removeStripes(plane, W, W)).toEqual({ rows: W - 3, columns: 0 });
    // What each row was moved by; along a row every px moved alike (the gradient and the neurite are as they were).
    const moved = Array.from({ length: W }, (_, y) => before[y * W] - plane[y * W]);
    for (let y = 0; y < W; y += 7) for (let x = 0; x < W; x += 13) expect(before[y * W + x] - plane[y * W + x]).toBeCloseTo(moved[y], 3);
    // The rows of the neurite (+150 over the whole row, 25 σ of the stripes) stay.
    expect([moved[59], moved[60], moved[61]]).toEqual([0, 0, 0]);
    // Neighbouring rows: their offsets differed by 8.5 (6 √2) rms; what is left of them differs by under 1.5 rms (the
    // level each row is read at holds noise, and slow drifts over tens of rows stay for the background to take).
    const left = (y: number) => offsets[y] - moved[y];
    let sum = 0;
    let pairs = 0;
    for (let y = 0; y + 1 < W; y++) {
      if (Math.abs(y - 60) <= 2) continue;
      sum += (left(y + 1) - left(y)) ** 2;
      pairs++;
    }
    expect(Math.sqrt(sum / pairs)).toBeLessThan(1.5);
  });

  it('a field without stripes, a gradient and a neurite along a row included, is left alone', () => {
    const plane = field(null);
    const before = Float32Array.from(plane);
    expect(removeStripes(plane, W, W)).toEqual({ rows: 0, columns: 0 });
    expect(plane).toEqual(before);
  });

  it('a field clipped far below its noise on one side (everything under 200 set to 0 over a background rising 100 -> 300) is left alone; striped, its rows are still levelled', () => {
    // The noise was read with the pairs at 0 (they differ by 0), too low: the rows' levels, spread by the noise alone,
    // passed for stripes (197 rows shifted before) and the left side's 0 was lifted off the clip.
    const clipped = (rows: Float64Array | null) => field(rows).map((v, i) => Math.max(0, v + (160 * (i % W)) / W - 200));
    const plane = clipped(null);
    const before = Float32Array.from(plane);
    expect(removeStripes(plane, W, W)).toEqual({ rows: 0, columns: 0 });
    expect(plane).toEqual(before);
    const { normal } = makeRng(11);
    const striped = clipped(Float64Array.from({ length: W }, () => 6 * normal()));
    const shifted = removeStripes(striped, W, W);
    expect(shifted.rows).toBeGreaterThan(W / 2);
    expect(shifted.columns).toBe(0);
  });

  it('none of the reference micrographs is read as striped: the bundled sample, NeuronJ’s neurites.tif (through its colour map)', () => {
    const sample = decodeImage(new Uint8Array(readFileSync(new URL('../../../../build/sample/sample-neurons.tif', import.meta.url))));
    expect(signalFromPlane(sample.planes[0], sample.info).stored).toBe(true);
    const neurites = decodeImage(new Uint8Array(readFileSync(new URL('../../../fixtures/neuronj/neurites.tif', import.meta.url))));
    const data = Float32Array.from(signalFromPlane(neurites.planes[0], neurites.info).data);
    expect(removeStripes(data, neurites.info.width, neurites.info.height)).toEqual({ rows: 0, columns: 0 });
  });
});

const swc21dpi = sharedData('swc/snt/21dpi_contra_infra_01.swc');

describe.skipIf(!swc21dpi)('SNT 21dpi drawn with noise σ 8 and every row offset by σ 6 (a scanner’s line flicker), one click at its root', () => {
  it('draws 7 and 1: DIADEM at 1.2 px ≥ 0.8 (0.534 and 0.582 before; clean 0.886 and 0.780)', () => {
    for (const seed of [7, 1]) {
      const m = renderMorphology(new TextDecoder().decode(swc21dpi), { unitsPerPx: 0.5, noise: 8, seed });
      const plane = m.image.planes[0] as Uint16Array;
      const { width, height } = m.image.info;
      const { normal } = makeRng(500 + seed);
      const offsets = Array.from({ length: height }, () => 6 * normal());
      for (let i = 0; i < plane.length; i++) plane[i] = Math.max(0, Math.round(plane[i] + offsets[Math.floor(i / width)]));
      expect(traceAndScore(m.image, m.gold, { seeds: [m.root] }).diadem).toBeGreaterThanOrEqual(0.8);
    }
  });
});
