import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_SEED } from '../../../../build/tools/sample-tiff';
import { makeRng, syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import type { DecodedImage } from '../../../../shared/image/types';
import { flattenBackground } from '../../../../shared/tracing/auto/background';
import { imageField } from '../../../../shared/tracing/auto/image-field';
import { autoTraceImage } from '../../../../shared/tracing/auto/run';
import { autoNeuronStats } from '../../../../shared/tracing/auto/stats';

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

/** The bundled sample's field, its neurite channel given a black margin or set in a larger black canvas. */
function sampleWith(edit: (plane: Uint16Array, width: number, height: number) => { plane: Uint16Array; width: number; height: number }): DecodedImage {
  const s = syntheticNeurons({ seed: SAMPLE_SEED });
  const { plane, width, height } = edit(s.channels[0], s.width, s.height);
  const image = syntheticImage(s);
  return { ...image, info: { ...image.info, width, height, channels: 1, pages: 1 }, planes: [plane] };
}

describe('the bundled sample with a black margin (a registered or rotated picture) or in a black canvas (a stitched one)', () => {
  const stats = (image: DecodedImage) =>
    autoTraceImage(image).neurons.map((n) => ({ soma: [Math.round(n.soma.x), Math.round(n.soma.y)], primaries: n.branches.filter((b) => b.parent < 0).length, ...autoNeuronStats(n) }));
  const raw = stats(sampleWith((plane, width, height) => ({ plane, width, height })));
  const truth = JSON.parse(readFileSync(new URL('../../../../build/sample/sample-neurons.truth.json', import.meta.url), 'utf8')) as { document: { neurons: Array<{ soma: { x: number; y: number }; branches: Array<{ parent: { kind: string } }> }> } };

  const expectAsRaw = (traced: ReturnType<typeof stats>) => {
    // The truth's four cells with their primary dendrites (an independent count)...
    expect(traced).toHaveLength(truth.document.neurons.length);
    for (const cell of truth.document.neurons) {
      const mine = traced.find((n) => Math.hypot(n.soma[0] - cell.soma.x, n.soma[1] - cell.soma.y) < 5);
      expect(mine).toBeDefined();
      expect(mine!.primaries).toBe(cell.branches.filter((b) => b.parent.kind === 'soma').length);
    }
    // ...and (consistency with the same code on the sample as it is) the same branching, the cable within 1 %.
    for (const r of raw) {
      const mine = traced.find((n) => n.soma[0] === r.soma[0] && n.soma[1] === r.soma[1]) ?? traced.find((n) => Math.hypot(n.soma[0] - r.soma[0], n.soma[1] - r.soma[1]) < 3);
      expect({ branchPoints: mine!.branchPoints, tips: mine!.tips }).toEqual({ branchPoints: r.branchPoints, tips: r.tips });
      expect(Math.abs(mine!.lengthPx - r.lengthPx)).toBeLessThan(0.01 * r.lengthPx);
    }
  };

  it('a 16 px black margin on the left and at the bottom: the same four cells and trees (before, by the CLI on the sample file: a fifth cell in the corner, one cell traced with 17 of its 25 branches)', () => {
    expectAsRaw(stats(sampleWith((plane, width, height) => ({ plane: plane.map((v, i) => (i % width < 16 || Math.floor(i / width) >= height - 16 ? 0 : v)), width, height }))));
  });

  it('set in a black canvas 1.5 × as large (56 % of it 0): the same four cells and trees (before, by the CLI on the sample file: cables 20-50 % longer)', () => {
    expectAsRaw(
      stats(
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
