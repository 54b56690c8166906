import { smoothWasm, traceKernelsFit } from './trace-kernels-wasm';

/**
 * Separable Gaussian smoothing on Float32Array planes. Kernels are stored as one half, taps[j] for j = 0..radius,
 * since they are symmetric; edges are replicated (a neurite touching the border is not dimmed by zero padding).
 */

/**
 * Half of a sampled Gaussian of scale σ (px), radius round(3σ) (≥ 1), normalised so the full kernel sums to 1. The
 * cut tails hold < 0.5 % of the weight for σ ≥ 1.4 (the ridge scales), and the radius sets the cost of smoothing.
 */
export function gaussianHalfKernel(sigma: number): Float32Array {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new RangeError(`Gaussian scale must be a positive number of pixels, not ${sigma}.`);
  const radius = Math.max(1, Math.round(3 * sigma));
  const g = new Float64Array(radius + 1);
  for (let j = 0; j <= radius; j++) g[j] = Math.exp((-j * j) / (2 * sigma * sigma));
  let sum = g[0];
  for (let j = 1; j <= radius; j++) sum += 2 * g[j];
  return Float32Array.from(g, (v) => v / sum);
}

/** Index of row y with edges replicated. */
export function clampRow(y: number, height: number): number {
  return y < 0 ? 0 : y >= height ? height - 1 : y;
}

/**
 * dst = G * src with the half-kernel g. `tmp` (same size) holds the row pass; dst may be src (the row pass reads src
 * completely before the column pass writes dst). In WebAssembly where it can run (trace-kernels-wasm.ts), bit for bit
 * the same.
 */
export function smoothSeparable(src: Float32Array, dst: Float32Array, tmp: Float32Array, width: number, height: number, g: Float32Array): void {
  if (traceKernelsFit(g.length)) smoothWasm(src, dst, width, height, g);
  else smoothSeparableJs(src, dst, tmp, width, height, g);
}

/** smoothSeparable in JavaScript. The column pass runs row by row so that memory is read in order. */
export function smoothSeparableJs(src: Float32Array, dst: Float32Array, tmp: Float32Array, width: number, height: number, g: Float32Array): void {
  const r = g.length - 1;
  const pad = new Float32Array(width + 2 * r);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const first = src[row];
    const last = src[row + width - 1];
    for (let i = 0; i < r; i++) {
      pad[i] = first;
      pad[r + width + i] = last;
    }
    pad.set(src.subarray(row, row + width), r);
    for (let x = 0; x < width; x++) {
      const c = x + r;
      let s = g[0] * pad[c];
      for (let j = 1; j <= r; j++) s += g[j] * (pad[c + j] + pad[c - j]);
      tmp[row + x] = s;
    }
  }
  const g0 = g[0];
  for (let y = 0; y < height; y++) {
    const o = y * width;
    for (let x = 0; x < width; x++) dst[o + x] = g0 * tmp[o + x];
    for (let j = 1; j <= r; j++) {
      const a = clampRow(y + j, height) * width;
      const b = clampRow(y - j, height) * width;
      const gj = g[j];
      for (let x = 0; x < width; x++) dst[o + x] += gj * (tmp[a + x] + tmp[b + x]);
    }
  }
}
