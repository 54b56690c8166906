import { describe, expect, it } from 'vitest';
import { SAMPLE_SEED } from '../../../../build/tools/sample-tiff';
import { syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import { autoTraceImage } from '../../../../shared/tracing/auto/run';
import { moreSignalIn } from '../../../../shared/tracing/auto/channel-signal';
import { decodeImage } from '../../../../shared/image/decode';
import { nuclearStainIn, nucleiCount } from '../../../../shared/tracing/auto/nuclear-stain';
import { signalFromPlane, type SignalPlane } from '../../../../shared/tracing/auto/signal';
import { sharedData } from './reference-data';

const W = 200;
const H = 200;
/** 2 px per µm: a nucleus of 5 µm radius is 10 px. */
const PX_PER_UM = 2;

/** A plane of W × H: 1000 where `inside` holds, over a background of 100 with a little noise (deterministic). */
function stain(inside: (x: number, y: number) => boolean): SignalPlane {
  const data = new Float32Array(W * H);
  let seed = 12345;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    data[i] = (inside(i % W, Math.floor(i / W)) ? 1000 : 100) + (seed >>> 24) / 32;
  }
  return { width: W, height: H, data, inverted: false, binary: false };
}
const disk = (cx: number, cy: number, r: number) => (x: number, y: number) => (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r;
const any = (...shapes: Array<(x: number, y: number) => boolean>) => (x: number, y: number) => shapes.some((s) => s(x, y));
const CENTRES = [
  [40, 40],
  [150, 45],
  [50, 150],
  [140, 140],
  [100, 95],
] as const;

describe('nucleiCount: a plane read as a nuclear stain when its foreground is mostly compact pieces of a nucleus’s size', () => {
  it('five disks of 5 µm radius are five nuclei; two are not enough to call the stain nuclear', () => {
    expect(nucleiCount(stain(any(...CENTRES.map(([x, y]) => disk(x, y, 10)))), PX_PER_UM)).toBe(5);
    expect(nucleiCount(stain(any(disk(40, 40, 10), disk(150, 150, 10))), PX_PER_UM)).toBe(0);
  });

  it('ellipses up to 2.5 : 1 are nuclei, 4 : 1 are not; nor are disks past 12 µm in radius or under 2 µm', () => {
    const ellipse = (cx: number, cy: number, a: number, b: number) => (x: number, y: number) => ((x + 0.5 - cx) / a) ** 2 + ((y + 0.5 - cy) / b) ** 2 <= 1;
    expect(nucleiCount(stain(any(...CENTRES.map(([x, y]) => ellipse(x, y, 14, 7)))), PX_PER_UM)).toBe(5);
    expect(nucleiCount(stain(any(...CENTRES.map(([x, y]) => ellipse(x, y, 24, 6)))), PX_PER_UM)).toBe(0);
    // 13 µm = 26 px: three of them fill the plane's width; 1.5 µm = 3 px.
    expect(nucleiCount(stain(any(disk(30, 30, 26), disk(150, 50, 26), disk(60, 150, 26))), PX_PER_UM)).toBe(0);
    expect(nucleiCount(stain(any(...CENTRES.map(([x, y]) => disk(x, y, 3)))), PX_PER_UM)).toBe(0);
  });

  it('a dendrite stain is no nuclear stain: its cell bodies are few beside its neurites', () => {
    const lines = (x: number, y: number) => Math.abs(y - 100) <= 2 || Math.abs(x - 100) <= 2 || Math.abs(x - y) <= 2;
    expect(nucleiCount(stain(any(lines, ...CENTRES.map(([x, y]) => disk(x, y, 10)))), PX_PER_UM)).toBe(0);
    // Three bodies each with a thick dendrite running off it: pieces long for their depth.
    const bodies = any(...CENTRES.slice(0, 3).map(([x, y]) => any(disk(x, y, 10), (px: number, py: number) => Math.abs(py - y) <= 2 && px >= x && px <= x + 60)));
    expect(nucleiCount(stain(bodies), PX_PER_UM)).toBe(0);
  });

  it('nuclearStainIn names the other channel with most nuclei, never the one traced', () => {
    // The planes as stored (32-bit float), at 0.5 µm per px.
    const four = stain(any(...CENTRES.slice(0, 4).map(([x, y]) => disk(x, y, 10)))).data;
    const five = stain(any(...CENTRES.map(([x, y]) => disk(x, y, 10)))).data;
    const none = stain(() => false).data;
    const shape = { width: W, height: H, bitsPerSample: 32 };
    expect(nuclearStainIn([none, four, five], shape, 0, 1 / PX_PER_UM)).toBe(2);
    expect(nuclearStainIn([none, four, five], shape, 2, 1 / PX_PER_UM)).toBe(1);
    expect(nuclearStainIn([none, none], shape, 0, 1 / PX_PER_UM)).toBeNull();
  });

  it('the bundled sample: channel 2 holds its ten nuclei (four cells, six glia), channel 1 (the neurons) none', () => {
    const sample = syntheticNeurons({ seed: SAMPLE_SEED });
    const shape = { width: sample.width, height: sample.height, invertedLut: false, bitsPerSample: 16 };
    const [neurons, nuclei] = sample.channels.map((c) => signalFromPlane(c, shape));
    expect(nucleiCount(neurons, 1 / 0.325)).toBe(0);
    expect(nucleiCount(nuclei, 1 / 0.325)).toBe(10);
    expect(nuclearStainIn(sample.channels, shape, 0, 0.325)).toBe(1);
  });

  it('Detect on a channel without neurons beside a nuclear stain: the stain is named as one, not as the channel to trace', () => {
    const sample = syntheticNeurons({ seed: SAMPLE_SEED });
    const [neurons] = sample.channels;
    const background = Uint16Array.from(neurons).sort()[neurons.length >> 1];
    sample.channels = [neurons.map((_, i) => background + (i % 7)), sample.channels[1]] as typeof sample.channels;
    const r = autoTraceImage(syntheticImage(sample));
    expect(r.neurons).toHaveLength(0);
    expect(r.nuclearStainIn).toBe(1);
    // Its nuclei stand out more than the empty channel's noise does, so the contrast alone would name it to trace.
    expect(moreSignalIn(sample.channels, 0, sample.width)).toBe(1);
    expect(r.moreSignalIn).toBeNull();
    // Told the nuclear channel, or told not to (a batch that has its answer), the trace asks no more.
    expect(autoTraceImage(syntheticImage(sample), { nucleusChannel: 1 }).nuclearStainIn).toBeNull();
    expect(autoTraceImage(syntheticImage(sample), { nuclearStainHint: false }).nuclearStainIn).toBeNull();
  });

  // Micrographs nobody here made, none of them a nuclear stain: NeuronJ's neurites, SNT's ddaC and TreeV.
  for (const [rel, umPerPx] of [['micrographs/neuronj/neurites.tif', 0.5], ['micrographs/snt/ddaC.tif', 0.835], ['micrographs/snt/TreeV.tif', 1]] as const) {
    const bytes = sharedData(rel);
    it.skipIf(!bytes)(`${rel.split('/').pop()} is no nuclear stain`, () => {
      const image = decodeImage(bytes!);
      expect(nucleiCount(signalFromPlane(image.planes[0], image.info), 1 / umPerPx)).toBe(0);
    });
  }
});
