import type { PixelArray } from '../../image/types';
import type { AutoNeuron, AutoNode } from './auto-neuron';

// A z-stack is traced on its projection (image/projection.ts: neurites of a culture wander through a few slices; no
// single slice holds a whole arbor), and each traced node is then given the depth where the structure under it is
// brightest.

/** Half-width of the square a pixel's depth is read over: one noisy voxel must not decide it. */
const BOX = 2;

/** Mean over the (2·BOX+1)² square around each pixel (edges replicated), times `sign`. */
function boxMean(src: PixelArray, width: number, height: number, sign: number, row: Float32Array, out: Float32Array): void {
  const k = 2 * BOX + 1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let d = -BOX; d <= BOX; d++) sum += src[o + Math.min(width - 1, Math.max(0, x + d))];
      row[o + x] = sum;
    }
  }
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let d = -BOX; d <= BOX; d++) sum += row[Math.min(height - 1, Math.max(0, y + d)) * width + x];
      out[o + x] = (sign * sum) / (k * k);
    }
  }
}

/**
 * Per pixel, the depth (slice index, fractional) at which the stack, averaged over a 5×5 square and smoothed along z
 * by (1, 2, 1)/4, is brightest; refined between slices by the parabola through the brightest slice and its two
 * neighbours. A pixel as bright in every slice (nothing there) gets slice 0. Holds three slices at a time, so a deep
 * stack costs no more memory than a few planes.
 */
export function depthMap(slices: readonly PixelArray[], width: number, height: number, brightBackground: boolean): Float32Array {
  const n = width * height;
  const count = slices.length;
  const sign = brightBackground ? -1 : 1;
  const best = new Float32Array(n).fill(-Infinity);
  const bestZ = new Int32Array(n);
  const before = new Float32Array(n);
  const after = new Float32Array(n);
  const row = new Float32Array(n);
  // boxed[z % 3] holds slice z's square means; the z-smoothed slice z needs z − 1, z and z + 1.
  const boxed = [new Float32Array(n), new Float32Array(n), new Float32Array(n)];
  const boxedAt = (z: number) => boxed[Math.min(count - 1, Math.max(0, z)) % 3];
  let prev = new Float32Array(n);
  let cur = new Float32Array(n);
  boxMean(slices[0], width, height, sign, row, boxed[0]);
  for (let z = 0; z < count; z++) {
    if (z + 1 < count) boxMean(slices[z + 1], width, height, sign, row, boxed[(z + 1) % 3]);
    const a = boxedAt(z - 1);
    const b = boxedAt(z);
    const c = boxedAt(z + 1);
    for (let i = 0; i < n; i++) cur[i] = (a[i] + 2 * b[i] + c[i]) / 4;
    for (let i = 0; i < n; i++) {
      const v = cur[i];
      if (z > 0 && bestZ[i] === z - 1) after[i] = v;
      if (v > best[i]) {
        best[i] = v;
        bestZ[i] = z;
        before[i] = z > 0 ? prev[i] : v;
        after[i] = v;
      }
    }
    [prev, cur] = [cur, prev];
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const z = bestZ[i];
    const a = before[i];
    const b = best[i];
    const c = after[i];
    const curvature = a - 2 * b + c;
    const shift = z > 0 && z < count - 1 && curvature < 0 ? (0.5 * (a - c)) / curvature : 0;
    out[i] = z + Math.max(-0.5, Math.min(0.5, shift));
  }
  return out;
}

/** Every position a neuron's depth is read at, in the order depthsOf reads them: soma, then each branch's nodes. */
export function depthSamplePoints(neurons: readonly AutoNeuron[]): Float32Array {
  const pts: number[] = [];
  for (const n of neurons) {
    pts.push(n.soma.x, n.soma.y);
    for (const b of n.branches) for (const p of b.nodes) pts.push(p.x, p.y);
  }
  return Float32Array.from(pts);
}

/** The depth map's value at each (x, y) of `points` (nearest pixel, clamped into the image). */
export function sampleDepths(map: Float32Array, width: number, height: number, points: Float32Array): Float32Array {
  const out = new Float32Array(points.length / 2);
  for (let k = 0; k < out.length; k++) {
    const x = Math.min(width - 1, Math.max(0, Math.round(points[2 * k])));
    const y = Math.min(height - 1, Math.max(0, Math.round(points[2 * k + 1])));
    out[k] = map[y * width + x];
  }
  return out;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Running median over ±2 nodes: a branch changes depth gradually, a single pixel's brightest slice can jump. */
function smoothAlong(z: readonly number[]): number[] {
  return z.map((_, i) => {
    const w = z.slice(Math.max(0, i - 2), i + 3).sort((a, b) => a - b);
    return w.length % 2 ? w[w.length >> 1] : (w[w.length / 2 - 1] + w[w.length / 2]) / 2;
  });
}

/**
 * The neurons with a depth on every node and soma: `raw` holds the depth map's values at depthSamplePoints(neurons),
 * smoothed along each branch.
 */
export function withDepths(neurons: readonly AutoNeuron[], raw: Float32Array): AutoNeuron[] {
  let k = 0;
  return neurons.map((n) => {
    const soma: AutoNode = { ...n.soma, z: round3(raw[k++]) };
    const branches = n.branches.map((b) => {
      const z = smoothAlong(b.nodes.map(() => raw[k++]));
      return { ...b, nodes: b.nodes.map((p, i) => ({ ...p, z: round3(z[i]) })) };
    });
    return { ...n, soma, branches };
  });
}

/** The neurons with every node and the soma at depth `z` (a trace on one slice). */
export function atDepth(neurons: readonly AutoNeuron[], z: number): AutoNeuron[] {
  return neurons.map((n) => ({ ...n, soma: { ...n.soma, z }, branches: n.branches.map((b) => ({ ...b, nodes: b.nodes.map((p) => ({ ...p, z })) })) }));
}
