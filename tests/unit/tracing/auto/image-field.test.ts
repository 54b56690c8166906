import { describe, expect, it } from 'vitest';
import { makeRng } from '../../../../build/tools/synthetic-neuron';
import { detectStats, expectAsRawSample, sampleWith } from './sample-variants';
import { flattenBackground } from '../../../../shared/tracing/auto/background';
import { imageField } from '../../../../shared/tracing/auto/image-field';

const W = 200;

/** A 200 × 200 field of noise (σ 8) on a background rising from 200 to 260 left to right, in whole grey levels. */
function noisyField(seed = 3): Float32Array {
  const { normal } = makeRng(seed);
  return Float32Array.from({ length: W * W }, (_, i) => Math.round(200 + (60 * (i % W)) / W + 8 * normal()));
}

/** The px a rotation leaves black: a 12 px margin on the left and the corner below the diagonal x + 60 < y. */
const inMargin = (i: number) => i % W < 12 || Math.floor(i / W) > (i % W) + 140;

describe('where a plane holds image (imageField)', () => {
  it('a margin filled with 0 (a rotated or registered picture) is told apart, px for px; a dead px at 0 goes with it', () => {
    const plane = noisyField().map((v, i) => (inMargin(i) ? 0 : v));
    plane[100 * W + 100] = 0;
    const field = imageField(plane, W, W);
    expect(field).not.toBeNull();
    const expected = Uint8Array.from(plane, (_, i) => (inMargin(i) || i === 100 * W + 100 ? 0 : 1));
    expect(field).toEqual(expected);
  });

  it('is the whole plane without 0s, for a background subtracted to 0 (its 0s are clipped noise) and for a noise-free drawing on black', () => {
    expect(imageField(noisyField(), W, W)).toBeNull();
    // The same field, its background taken off and clipped at 0: the next value is 1 grey level up.
    const subtracted = noisyField().map((v, i) => Math.max(0, v - (200 + (60 * (i % W)) / W)));
    expect(subtracted.filter((v) => v === 0).length).toBeGreaterThan(0.4 * W * W);
    expect(imageField(subtracted, W, W)).toBeNull();
    // Lines of 140 with edges of 56 on 0, no noise: a gap of 56 above 0, but nothing in the rest is noise.
    const drawing = Float32Array.from({ length: W * W }, (_, i) => (Math.floor(i / W) % 20 === 0 ? 140 : Math.floor(i / W) % 20 === 1 ? 56 : 0));
    expect(imageField(drawing, W, W)).toBeNull();
  });

  it('flattening reads only the field: beside a 0 margin the flattened background stays at the noise, not at the raw level (~200)', () => {
    const plane = noisyField().map((v, i) => (inMargin(i) ? 0 : v));
    const field = imageField(plane, W, W);
    const meanBesideMargin = (flat: Float32Array) => {
      let sum = 0;
      let count = 0;
      for (let y = 0; y < 120; y++) for (let x = 12; x < 30; x++) [sum, count] = [sum + flat[y * W + x], count + 1];
      return sum / count;
    };
    // Without the field, the blocks along the margin take the 0s as their low quantile: the raw level passes through.
    expect(meanBesideMargin(flattenBackground(plane, W, W, 32))).toBeGreaterThan(100);
    const flat = flattenBackground(plane, W, W, 32, 0.2, field);
    // With it: noise of σ 8 minus its 20th percentile (−0.84 σ), clipped at 0, a mean of about 1.1 σ.
    expect(meanBesideMargin(flat)).toBeLessThan(16);
    expect(Array.from(flat).filter((_, i) => inMargin(i)).every((v) => v === 0)).toBe(true);
  });
});

describe('the bundled sample with a black margin (a registered or rotated picture) or in a black canvas (a stitched one)', () => {
  it('a 16 px black margin on the left and at the bottom: the same four cells and trees (before, by the CLI on the sample file: a fifth cell in the corner, one cell traced with 17 of its 25 branches)', () => {
    expectAsRawSample(detectStats(sampleWith((plane, width, height) => ({ plane: plane.map((v, i) => (i % width < 16 || Math.floor(i / width) >= height - 16 ? 0 : v)), width, height }))));
  });

  it('set in a black canvas 1.5 × as large (56 % of it 0): the same four cells and trees (before, by the CLI on the sample file: cables 20-50 % longer)', () => {
    expectAsRawSample(
      detectStats(
        sampleWith((plane, width, height) => {
          const [w, h] = [Math.round(1.5 * width), Math.round(1.5 * height)];
          const out = new Uint16Array(w * h);
          for (let y = 0; y < height; y++) out.set(plane.subarray(y * width, (y + 1) * width), y * w);
          return { plane: out, width: w, height: h };
        }),
      ),
    );
  });
});
