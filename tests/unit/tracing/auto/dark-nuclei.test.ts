import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_SEED } from '../../../../build/tools/sample-tiff';
import { syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import type { DecodedImage } from '../../../../shared/image/types';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { fillDarkNuclei } from '../../../../shared/tracing/auto/dark-nuclei';
import { autoTraceImage } from '../../../../shared/tracing/auto/run';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { expectAsRawSample } from './sample-variants';
import { autoNeuronStats } from '../../../../shared/tracing/auto/stats';

const W = 80;
const H = 80;

/** A mask of W × H with the px where `inside` holds set. */
const maskOf = (inside: (x: number, y: number) => boolean) => Uint8Array.from({ length: W * H }, (_, i) => (inside(i % W, Math.floor(i / W)) ? 1 : 0));
const within = (cx: number, cy: number, r: number) => (x: number, y: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const count = (m: Uint8Array) => m.reduce((s, v) => s + v, 0);

describe('fillDarkNuclei: a nucleus a cell body encloses joins the foreground', () => {
  const nucleus = maskOf(within(40, 40, 7));

  it('a body read as a ring (its nucleus as dark as the background) is filled: the ring and the nucleus', () => {
    const ring = maskOf((x, y) => within(40, 40, 15)(x, y) && !within(40, 40, 7)(x, y));
    const filled = fillDarkNuclei(ring, nucleus, W, H, 1000)!;
    expect(filled).not.toBeNull();
    expect(count(filled)).toBe(count(maskOf(within(40, 40, 15))));
    // The ring itself is not written to.
    expect(count(ring)).toBe(count(maskOf(within(40, 40, 15))) - count(nucleus));
  });

  it('a ring a few px wider than the nucleus (the stain ends short of it) is filled too', () => {
    const ring = maskOf((x, y) => within(40, 40, 15)(x, y) && !within(40, 40, 9)(x, y));
    const filled = fillDarkNuclei(ring, nucleus, W, H, 1000)!;
    expect(filled.filter((v, i) => v && !ring[i]).length).toBe(count(nucleus));
  });

  it('a glia nucleus beside a neurite, or one two neurites cross, is not (rimmed on a small share of its edge)', () => {
    const beside = maskOf((x) => x >= 48 && x <= 51);
    expect(fillDarkNuclei(beside, nucleus, W, H, 1000)).toBeNull();
    const crossing = maskOf((x, y) => Math.abs(x - y) <= 2 || Math.abs(x + y - 80) <= 2);
    expect(fillDarkNuclei(crossing, nucleus, W, H, 1000)).toBeNull();
  });

  it('a nucleus in a body stained right through, one larger than a body holds, and a hole without a nucleus are left as they are', () => {
    expect(fillDarkNuclei(maskOf(within(40, 40, 15)), nucleus, W, H, 1000)).toBeNull();
    const ring = maskOf((x, y) => within(40, 40, 15)(x, y) && !within(40, 40, 7)(x, y));
    expect(fillDarkNuclei(ring, nucleus, W, H, count(nucleus) - 1)).toBeNull();
    expect(fillDarkNuclei(ring, new Uint8Array(W * H), W, H, 1000)).toBeNull();
  });
});

// A stain of the cytoplasm (MAP2, βIII-tubulin) leaves the nucleus dark, in one optical section as dark as the
// background. The bundled sample (its channel 2 stains the nuclei: each cell's and six glia's) with the middle of each
// cell body in channel 1 (a disk of `share` of its radius, its edge blended over 3 px) set to the background level.
const truth = JSON.parse(readFileSync(new URL('../../../../build/sample/sample-neurons.truth.json', import.meta.url), 'utf8')) as {
  document: { neurons: Array<{ soma: { x: number; y: number; r: number } }> };
};

function withDarkNuclei(share: number): DecodedImage {
  const s = syntheticNeurons({ seed: SAMPLE_SEED });
  const src = s.channels[0];
  const background = Uint16Array.from(src).sort()[src.length >> 1];
  const plane = Uint16Array.from(src);
  for (const { soma } of truth.document.neurons) {
    const r = share * soma.r;
    for (let y = Math.floor(soma.y - r - 2); y <= soma.y + r + 2; y++) {
      for (let x = Math.floor(soma.x - r - 2); x <= soma.x + r + 2; x++) {
        const w = Math.min(1, Math.max(0, (r + 1.5 - Math.hypot(x + 0.5 - soma.x, y + 0.5 - soma.y)) / 3));
        const i = x + s.width * y;
        plane[i] = Math.round(background + (plane[i] - background) * (1 - w));
      }
    }
  }
  const image = syntheticImage(s);
  return { ...image, planes: [plane, s.channels[1]] };
}

const statsOf = (image: DecodedImage, nucleusChannel?: number) =>
  autoTraceImage(image, { nucleusChannel }).neurons.map((n) => ({ soma: [Math.round(n.soma.x), Math.round(n.soma.y)], primaries: n.branches.filter((b) => b.parent < 0).length, ...autoNeuronStats(n) }));

describe('the bundled sample with its nuclei as dark as the background', () => {
  it('Detect with the nuclear channel: the four cells with the truth primary dendrites and the raw sample trees', () => {
    const image = withDarkNuclei(0.6);
    // Without it no cell body is found: the bodies read as rings, and the field is traced as fibres.
    expect(statsOf(image).filter((n) => truth.document.neurons.some((c) => Math.hypot(n.soma[0] - c.soma.x, n.soma[1] - c.soma.y) < 5))).toHaveLength(0);
    expectAsRawSample(statsOf(image, 1));
  });

  it('the nuclear channel is recorded with the trace, 0-based as the channel traced; the channel traced or one the image lacks is refused', () => {
    const image = withDarkNuclei(0.4);
    expect(autoTraceImage(image, { nucleusChannel: 1 }).parameters).toMatchObject({ channel: 0, nucleusChannel: 1 });
    expect(autoTraceImage(image).parameters).not.toHaveProperty('nucleusChannel');
    expect(() => autoTraceImage(image, { nucleusChannel: 0 })).toThrow('Channel 1 is the one traced; the nuclear stain must be another channel.');
    expect(() => autoTraceImage(image, { nucleusChannel: 2 })).toThrow('Nuclear channel 3 is out of range: the image has 2 channels.');
  });

  it('a click on each hollow body, with the nuclear stain, starts at that cell body, not at a fibre', () => {
    const image = withDarkNuclei(0.6);
    const shape = { ...image.info };
    const tracer = new AutoTracer(signalFromPlane(image.planes[0], shape), { pixelSize: image.info.calibration!.pixelWidth, nucleus: signalFromPlane(image.planes[1], shape) });
    for (const { soma } of truth.document.neurons) {
      const seed = tracer.seedAt(soma.x, soma.y);
      expect(seed.fibre).toBe(false);
      expect(Math.hypot(seed.x - soma.x, seed.y - soma.y)).toBeLessThan(3);
      expect(seed.r).toBeGreaterThan(0.7 * soma.r);
    }
  });

  it('on the raw sample the nuclear channel changes nothing: its six glia nuclei are no cells, its cells as without it', () => {
    const s = syntheticNeurons({ seed: SAMPLE_SEED });
    expectAsRawSample(statsOf(syntheticImage(s), 1));
  });
});
