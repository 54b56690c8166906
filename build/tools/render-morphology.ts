/**
 * A public reconstruction (SWC) drawn as a fluorescence micrograph, so the tracer can be scored on arbors nobody here
 * designed: the neuron's first tree projected onto xy, each segment a Gaussian tube (σ from its radius), a brighter
 * cell body, a background with a left-to-right gradient and Gaussian noise. Truth is the SWC itself in the image's
 * px. The image is ours, the morphology is not: this complements the real micrographs, it does not replace them.
 */
import { buildNodeTree, scaleOf } from '../../shared/analysis/index';
import { parseSwc } from '../../shared/formats/swc';
import type { DecodedImage } from '../../shared/image/types';
import type { AnnotationDocument } from '../../shared/model/document';
import { documentTrees } from '../../shared/tracing/auto/gold-standard';
import type { DiademTree } from '../../shared/analysis/diadem';
import { makeRng } from './synthetic-neuron';

export interface MorphologyRenderOptions {
  /** SWC units (µm, or voxels for a reconstruction in voxels) per image px; default: the arbor's longer side spans 700 px. */
  unitsPerPx?: number;
  /** Standard deviation of the noise, grey levels (default 8). */
  noise?: number;
  /** Peak of an average neurite above background, grey levels (default 120); each segment varies 0.6–1.4×. */
  amplitude?: number;
  seed?: number;
  /**
   * Draw a z-stack of this many slices instead of one plane: the SWC's z spans all but two slices at each end, each
   * segment spread over neighbouring slices (σ 1 slice). Truth stays the projection onto xy.
   */
  slices?: number;
  /**
   * Draw the image as it is after a background subtraction (Fiji's Subtract Background): the background level taken
   * off, and this many grey levels more (an over-subtraction), clipped at 0; the same noise and neurites.
   */
  subtracted?: number;
}

export interface RenderedMorphology {
  /** One 16-bit plane (or `slices` of them), uncalibrated (positions in px). */
  image: DecodedImage;
  /** The SWC's first tree in the image's document px, projected onto xy (z = 0). */
  gold: DiademTree[];
  /** Per node of gold[0], its depth in slices (0 for a single plane). */
  goldDepth: Float64Array;
  /** The tree's root in document px: where a user would click. */
  root: { x: number; y: number };
  /** SWC units per image px. */
  unitsPerPx: number;
}

const PAD = 30;

export function renderMorphology(swcText: string, o: MorphologyRenderOptions = {}): RenderedMorphology {
  const doc = parseSwc(swcText).document;
  const neuron = doc.neurons[0];
  const t = buildNodeTree(neuron, scaleOf(null));
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let minZ = Infinity;
  let maxZ = -Infinity;
  for (let i = 0; i < t.count; i++) {
    minZ = Math.min(minZ, t.z[i]);
    maxZ = Math.max(maxZ, t.z[i]);
    minX = Math.min(minX, t.x[i]);
    maxX = Math.max(maxX, t.x[i]);
    minY = Math.min(minY, t.y[i]);
    maxY = Math.max(maxY, t.y[i]);
  }
  const unitsPerPx = o.unitsPerPx ?? Math.max(maxX - minX, maxY - minY) / 700;
  const width = Math.ceil((maxX - minX) / unitsPerPx) + 2 * PAD;
  const height = Math.ceil((maxY - minY) / unitsPerPx) + 2 * PAD;
  const X = (v: number) => (v - minX) / unitsPerPx + PAD;
  const Y = (v: number) => (v - minY) / unitsPerPx + PAD;
  const slices = Math.max(1, Math.round(o.slices ?? 1));
  const zStep = slices > 1 ? (maxZ - minZ) / (slices - 4) || 1 : 1;
  const Z = (v: number) => (slices > 1 ? (v - minZ) / zStep + 2 : 0);
  const { uniform: random, normal } = makeRng(o.seed ?? 7);
  const amplitude = o.amplitude ?? 120;
  const volume = Array.from({ length: slices }, () => new Float32Array(width * height));
  const tube = (x0: number, y0: number, x1: number, y1: number, sigma: number, peak: number, z0 = 0, z1 = 0) => {
    const reach = 3 * sigma + 1;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const len2 = dx * dx + dy * dy || 1e-12;
    for (let y = Math.max(0, Math.floor(Math.min(y0, y1) - reach)); y <= Math.min(height - 1, Math.ceil(Math.max(y0, y1) + reach)); y++) {
      for (let x = Math.max(0, Math.floor(Math.min(x0, x1) - reach)); x <= Math.min(width - 1, Math.ceil(Math.max(x0, x1) + reach)); x++) {
        const u = Math.max(0, Math.min(1, ((x + 0.5 - x0) * dx + (y + 0.5 - y0) * dy) / len2));
        const d2 = (x + 0.5 - x0 - u * dx) ** 2 + (y + 0.5 - y0 - u * dy) ** 2;
        const v = peak * Math.exp(-d2 / (2 * sigma * sigma));
        const zc = z0 + u * (z1 - z0);
        for (let k = slices > 1 ? Math.max(0, Math.floor(zc - 3)) : 0; k <= Math.min(slices - 1, Math.ceil(zc + 3)); k++) {
          const w = slices > 1 ? v * Math.exp(-((k - zc) ** 2) / 2) : v;
          if (w > volume[k][y * width + x]) volume[k][y * width + x] = w;
        }
      }
    }
  };
  // Radius per tree node, found by position (the node tree keeps the document's coordinates at scale 1).
  const radiusAt = new Map<string, number>();
  for (const b of neuron.branches) for (const n of b.nodes) radiusAt.set(`${n.x},${n.y},${n.z}`, n.r ?? 0);
  const r = Array.from({ length: t.count }, (_, i) => radiusAt.get(`${t.x[i]},${t.y[i]},${t.z[i]}`) ?? 0);
  let root = 0;
  for (let i = 0; i < t.count; i++) {
    const p = t.parent[i];
    if (p < 0) {
      root = i;
      continue;
    }
    const sigma = Math.min(4, Math.max(0.8, (0.7 * Math.max(r[i], r[p])) / unitsPerPx));
    tube(X(t.x[p]), Y(t.y[p]), X(t.x[i]), Y(t.y[i]), sigma, amplitude * (0.6 + 0.8 * random()), Z(t.z[p]), Z(t.z[i]));
  }
  const soma = neuron.soma?.kind === 'point' ? (neuron.soma.r ?? 0) / unitsPerPx : 0;
  if (soma > 1.5) tube(X(t.x[root]), Y(t.y[root]), X(t.x[root]), Y(t.y[root]), 0.8 * soma, 1.8 * amplitude, Z(t.z[root]), Z(t.z[root]));
  const noise = o.noise ?? 8;
  const planes = volume.map((signal) => {
    const plane = new Uint16Array(width * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const background = o.subtracted === undefined ? 100 + (40 * x) / width : -o.subtracted;
        plane[y * width + x] = Math.max(0, Math.round(background + signal[y * width + x] + noise * normal()));
      }
    }
    return plane;
  });
  const toPx = (n: { x: number; y: number; z: number; r?: number }) => ({ x: X(n.x), y: Y(n.y), z: Z(n.z), r: (n.r ?? 0) / unitsPerPx });
  const goldDoc: AnnotationDocument = {
    ...doc,
    calibration: null,
    neurons: [
      {
        ...neuron,
        soma: neuron.soma?.kind === 'point' ? { ...neuron.soma, ...toPx(neuron.soma) } : neuron.soma,
        branches: neuron.branches.map((b) => ({ ...b, nodes: b.nodes.map((n) => ({ ...n, ...toPx(n) })) })),
      },
    ],
  };
  return {
    image: { info: { format: 'tiff', width, height, pages: slices, channels: 1, slices, frames: 1, bitsPerSample: 16, sampleFormat: 'uint', samplesPerPixel: 1, calibration: null }, planes, pageStats: [] },
    gold: documentTrees(goldDoc),
    goldDepth: buildNodeTree(goldDoc.neurons[0], scaleOf(null)).z,
    root: { x: X(t.x[root]), y: Y(t.y[root]) },
    unitsPerPx,
  };
}
