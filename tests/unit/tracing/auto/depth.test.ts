import { describe, expect, it } from 'vitest';
import { parseSwc } from '../../../../shared/formats/swc';
import { decodeImage } from '../../../../shared/image/decode';
import type { DecodedImage } from '../../../../shared/image/types';
import type { AutoNeuron } from '../../../../shared/tracing/auto/auto-neuron';
import { depthMap, depthSamplePoints, sampleDepths, withDepths } from '../../../../shared/tracing/auto/depth';
import { zProjection } from '../../../../shared/image/projection';
import { depthErrors } from '../../../../shared/tracing/auto/gold-standard';
import { autoTraceImage, documentWithNeurons } from '../../../../shared/tracing/auto/run';
import { sharedData } from './reference-data';
import { renderMorphology } from '../../../../build/tools/render-morphology';

/** A stack of `values.length` uniform 8×8 slices, slice z filled with values[z]. */
const uniform = (values: number[]) => values.map((v) => new Uint8Array(64).fill(v));

describe('depth of a stack', () => {
  it('projection keeps the brightest value, or the darkest when the background is bright', () => {
    const slices = [Uint8Array.from([1, 9, 5]), Uint8Array.from([7, 2, 5]), Uint8Array.from([3, 4, 6])];
    expect(Array.from(zProjection(slices, false))).toEqual([7, 9, 6]);
    expect(Array.from(zProjection(slices, true))).toEqual([1, 2, 5]);
  });

  it('a structure in one slice is at that slice; one spread evenly over two slices is half-way between', () => {
    // z-smoothing (1,2,1)/4 makes [0,0,10,0,0] → [0,2.5,5,2.5,0]: a symmetric peak at 2.
    expect(depthMap(uniform([0, 0, 10, 0, 0]), 8, 8, false)[27]).toBe(2);
    // [0,0,10,10,0] → [0,2.5,7.5,7.5,2.5]: the first maximum is slice 2 and the parabola through 2.5, 7.5, 7.5 peaks at 2.5.
    expect(depthMap(uniform([0, 0, 10, 10, 0]), 8, 8, false)[27]).toBe(2.5);
    // A dark neurite on a bright background is found by its darkest slice.
    expect(depthMap(uniform([100, 100, 100, 90, 100]), 8, 8, true)[27]).toBe(3);
    // Nothing there: every slice alike, depth 0.
    expect(depthMap(uniform([4, 4, 4]), 8, 8, false)[27]).toBe(0);
  });

  it('reads depth over a 5×5 square: a single bright voxel two px away does not move a pixel', () => {
    const slices = uniform([0, 0, 0, 0, 0]);
    for (let x = 0; x < 8; x++) for (let y = 0; y < 8; y++) slices[1][x + 8 * y] = 10;
    // Averaged over its 5×5 square the voxel is 4, smoothed along z (0 + 2·4 + 4)/4 = 3 at slice 4 (the last slice
    // repeats), against (0 + 2·10 + 0)/4 = 5 at slice 1; read alone it would be 75 and win.
    slices[4][3 + 8 * 5] = 100;
    const map = depthMap(slices, 8, 8, false);
    expect(map[3 + 8 * 3]).toBe(1);
    expect(map[3 + 8 * 5]).toBe(1);
  });

  it('smooths depth along a branch with a running median: one jumping node is pulled back, a real change stays', () => {
    const neuron: AutoNeuron = {
      soma: { x: 1, y: 1, r: 3 },
      fibre: false,
      branches: [{ parent: -1, parentNode: -1, nodes: [0, 1, 2, 3, 4, 5, 6].map((x) => ({ x, y: 0, r: 1 })), doubts: [], spots: [] }],
    };
    const points = depthSamplePoints([neuron]);
    expect(Array.from(points)).toEqual([1, 1, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0]);
    const [out] = withDepths([neuron], Float32Array.from([7, 2, 2, 9, 2, 5, 5, 5]));
    expect(out.soma.z).toBe(7);
    expect(out.branches[0].nodes.map((n) => n.z)).toEqual([2, 2, 2, 5, 5, 5, 5]);
    expect(Array.from(sampleDepths(Float32Array.from([0, 1, 2, 3]), 2, 2, Float32Array.from([1.4, 0.6, -3, 9])))).toEqual([3, 2]);
  });
});

/**
 * 96×64 8-bit stack of 8 slices, background 10: a soma disk (r 6) at (20, 32) and a 3-px-wide dendrite along y = 32
 * to x = 80, both in slice 2 for x < 50 and in slice 5 from x = 50; each slice's neighbours see 40 % of it.
 */
function twoDepthCell(): DecodedImage {
  const w = 96;
  const h = 64;
  const planes = Array.from({ length: 8 }, () => new Uint8Array(w * h).fill(10));
  const put = (z: number, x: number, y: number, v: number) => {
    for (const [dz, f] of [[0, 1], [-1, 0.4], [1, 0.4]] as const) planes[z + dz][x + w * y] = Math.max(planes[z + dz][x + w * y], Math.round(10 + f * (v - 10)));
  };
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) if ((x - 20) ** 2 + (y - 32) ** 2 <= 36) put(2, x, y, 200);
  for (let x = 26; x <= 80; x++) for (let y = 31; y <= 33; y++) put(x < 50 ? 2 : 5, x, y, 150);
  return {
    info: { format: 'tiff', width: w, height: h, pages: 8, channels: 1, slices: 8, frames: 1, bitsPerSample: 8, sampleFormat: 'uint', samplesPerPixel: 1, calibration: null },
    planes,
    pageStats: [],
  };
}

describe('automatic tracing of a z-stack', () => {
  it('traces the projection: the dendrite that changes slice is whole; with depth its nodes lie at slice 2 then slice 5, the soma at 2', () => {
    const flat = autoTraceImage(twoDepthCell(), { seeds: [{ x: 20.5, y: 32.5 }], detail: { minBranchUm: 3 } });
    // Planar by default, as a tracing by hand on the projection is.
    expect(flat.neurons[0].branches[0].nodes.at(-1)!.x).toBeGreaterThan(79);
    expect(flat.neurons[0].branches[0].nodes.every((p) => p.z === undefined)).toBe(true);
    expect(flat.timings.depthMs).toBeUndefined();
    const r = autoTraceImage(twoDepthCell(), { seeds: [{ x: 20.5, y: 32.5 }], detail: { minBranchUm: 3 }, depth: true });
    expect(r.neurons.map((n) => n.branches.map((b) => b.nodes.map((p) => [p.x, p.y])))).toEqual(flat.neurons.map((n) => n.branches.map((b) => b.nodes.map((p) => [p.x, p.y]))));
    expect(r.neurons.length).toBe(1);
    const [n] = r.neurons;
    expect(n.soma.z).toBe(2);
    expect(n.branches.length).toBe(1);
    const nodes = n.branches[0].nodes;
    expect(nodes.at(-1)!.x).toBeGreaterThan(79);
    for (const p of nodes) {
      if (p.x < 45) expect(p.z).toBe(2);
      if (p.x > 55) expect(p.z).toBe(5);
    }
    expect(r.timings.depthMs).toBeGreaterThanOrEqual(0);
    // The document keeps each node's depth.
    const doc = documentWithNeurons(r.neurons, null, null);
    expect(doc.neurons[0].branches[0].nodes.at(-1)!.z).toBe(5);
  });

  it('traces one slice when asked: on slice 3 (0-based 2) the dendrite stops where it leaves the slice, every node at 2', () => {
    const r = autoTraceImage(twoDepthCell(), { seeds: [{ x: 20.5, y: 32.5 }], slice: 2, detail: { minBranchUm: 3 } });
    const nodes = r.neurons[0].branches[0].nodes;
    expect(nodes.at(-1)!.x).toBeGreaterThan(47);
    expect(nodes.at(-1)!.x).toBeLessThan(51);
    expect(new Set(nodes.map((p) => p.z))).toEqual(new Set([2]));
    expect(r.timings.depthMs).toBeUndefined();
    expect(() => autoTraceImage(twoDepthCell(), { slice: 8 })).toThrow('Slice 9 is out of range: the image has 8 slices.');
  });
});

const spot = sharedData('micrographs/spotspine/SpotSpine_ImageStack_Test.tif');
const spotSwc = sharedData('micrographs/spotspine/SpotSpine_ImageStack_Test.swc');

describe.skipIf(!spot || !spotSwc)('SpotSpine: depth of the traced dendrite vs NeuronStudio’s', () => {
  it('traced nodes lie within 1 slice (0.21 µm) of the nearest hand-placed node in the median, within 3 for 90 %', () => {
    const image = decodeImage(spot as Uint8Array);
    const gold = parseSwc(new TextDecoder().decode(spotSwc), { calibration: image.info.calibration ?? undefined }).document;
    const goldNodes = gold.neurons.flatMap((n) => n.branches.flatMap((b) => b.nodes));
    // One click at NeuronStudio's root (4.35, 9.06 µm = px 72.5, 151).
    const r = autoTraceImage(image, { seeds: [{ x: 72.5, y: 151 }], depth: true });
    const errors = depthErrors({ x: goldNodes.map((g) => g.x), y: goldNodes.map((g) => g.y), z: goldNodes.map((g) => g.z) }, r.neurons[0].branches.flatMap((b) => b.nodes), 5);
    expect(errors.length).toBeGreaterThan(20);
    // Measured: median 0.88, 90th percentile 2.5 slices; NeuronStudio's own z wanders ±1 slice between neighbours.
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThanOrEqual(1);
    expect(errors[Math.floor(errors.length * 0.9)]).toBeLessThanOrEqual(3);
    // The dendrite descends from slice ~14 to ~26 in NeuronStudio's tracing; so does the trace.
    const zs = r.neurons[0].branches[0].nodes.map((p) => p.z!);
    expect(Math.min(...zs)).toBeLessThan(16.5);
    expect(Math.max(...zs)).toBeGreaterThan(24);
  });
});

const op1 = sharedData('swc/snt/OP_1-gs.swc');

describe.skipIf(!op1)('DIADEM OP_1 drawn as a 24-slice stack: depth of the traced nodes vs the reconstruction’s', () => {
  it('traced nodes within 2 px of a gold node lie a median ≤ 0.2 slices from its depth, 90 % within 0.5', () => {
    const m = renderMorphology(new TextDecoder().decode(op1), { unitsPerPx: 0.3, slices: 24 });
    const r = autoTraceImage(m.image, { seeds: [m.root], depth: true });
    const dz = depthErrors({ ...m.gold[0], z: m.goldDepth }, r.neurons[0].branches.flatMap((b) => b.nodes), 2);
    // Measured: 871 nodes, median 0.04, 90th percentile 0.18 slices (`npm run bench gold-standard`).
    expect(dz.length).toBeGreaterThan(500);
    expect(dz[dz.length >> 1]).toBeLessThanOrEqual(0.2);
    expect(dz[Math.floor(0.9 * dz.length)]).toBeLessThanOrEqual(0.5);
  });
});
