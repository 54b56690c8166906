import type { PixelArray } from '../image/types';
import { RamifyError } from '../result';
import { borrow, giveBack } from '../scratch-arrays';
import { clampRow, gaussianHalfKernel, smoothSeparableJs } from './gaussian';
import { removeHotPixels } from './hot-pixels';
import { ridgeWasm, traceKernelsFit } from './trace-kernels-wasm';

/**
 * The live-wire cost of every pixel, in (0, 1]: low on bright tubular structures (neurites), 1 on flat background.
 * Plain typed data so it can be transferred to or built inside a worker.
 */
export interface CostImage {
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
  /** cost[x + width * y], each in (0, 1]. */
  data: Float32Array;
}

/** How the ridge filter and the cost mapping are tuned. */
export interface CostOptions {
  /** Central Gaussian scale σ in px, about the neurite half-width; default 2. */
  scale?: number;
  /** Explicit scales σ in px; overrides `scale`. Default: scale/√2, scale, scale·√2 (neurites 1–6 px wide). */
  scales?: number[];
  /** Ridge strength that maps to cost 1/2, as a quantile of all pixels' ridge strength; default 0.95. */
  referenceQuantile?: number;
  /** Steepness p of cost = 1 / (1 + (ridge/reference)^p); default 2. */
  exponent?: number;
}

/** The cost image plus what was used to make it (reported to the user and by `ramify trace`). */
export interface CostResult {
  cost: CostImage;
  /** Scales σ (px) the ridge filter used. */
  scales: number[];
  /** Ridge strength mapped to cost 1/2 (0 when the image has no ridges, i.e. uniform cost 1). */
  reference: number;
  /**
   * The plane smoothed at the smallest ridge scale: where centre lines are refined. The finest scale keeps a branch
   * and its parent apart closest to their junction (measured: 0.17 px mean distance to the true centre lines of
   * the synthetic neurons against 0.22 px at the central scale); the smoothing along the path handles the noise.
   */
  smoothed: SmoothedPlane;
  /** Wall time in ms. */
  ms: number;
}

/** A plane smoothed by a Gaussian of scale σ: its intensity peaks across a neurite mark the centre line. */
export interface SmoothedPlane {
  width: number;
  height: number;
  /** Gaussian scale in px. */
  sigma: number;
  /** data[x + width * y], the smoothed intensity of pixel (x, y) (sampled at its centre, x + 0.5, y + 0.5). */
  data: Float32Array;
}

export const DEFAULT_SCALE = 2;

/** Default scale set around σ: one octave in half-octave steps. */
export function defaultScales(scale = DEFAULT_SCALE): number[] {
  return [scale / Math.SQRT2, scale, scale * Math.SQRT2];
}

/** Copies a plane to float, mapping NaN and ±∞ (background or masked pixels in float images) to 0. */
export function planeToFloat(plane: PixelArray, width: number, height: number): Float32Array {
  const n = width * height;
  if (plane.length < n) throw new RamifyError('invalid-argument', `Plane has ${plane.length} samples, expected ${width}×${height}.`);
  const out = new Float32Array(n);
  if (plane instanceof Float32Array || plane instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      const v = plane[i];
      out[i] = Number.isFinite(v) ? v : 0;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = plane[i];
  }
  return out;
}

/**
 * Ridge strength of bright lines on a dark background: max over scales σ of σ²·max(0, −λ_min), λ_min the more
 * negative eigenvalue of the Hessian of the image smoothed at σ (the curvature across a bright neurite). σ² makes the
 * response of a neurite comparable across scales (scale-normalised derivatives). Scales are reached by cascaded
 * smoothing (each step adds √(σ₂² − σ₁²)) and the Hessian is taken by central differences of the smoothed image,
 * which is several times cheaper than convolving with three Gaussian-derivative kernels per scale. `keep` receives a
 * copy of the image smoothed at one of the scales (the centre-line refinement reads it), at no extra smoothing cost.
 * Written into `out` when given.
 */
export function ridgeStrength(image: Float32Array, width: number, height: number, scales: number[], keep?: { sigma: number; into: Float32Array }, out?: Float32Array): Float32Array {
  const ridge = out ? out.fill(0) : new Float32Array(width * height);
  const { sorted, steps } = ridgeSteps(scales);
  if (traceKernelsFit(Math.max(1, ...steps.map((g) => g?.length ?? 1)))) {
    const at = keep ? sorted.indexOf(keep.sigma) : -1;
    ridgeWasm(image, width, height, steps, sorted.map((sigma) => sigma * sigma), ridge, at >= 0 && keep ? { at, into: keep.into } : undefined);
    return ridge;
  }
  return ridgeStrengthJs(image, width, height, scales, keep, ridge);
}

/**
 * The ridge filter's scales in increasing order, and the half-kernel that smooths from the previous scale to each
 * (σ² adds up; null where that adds under 1e-3 px): the steps both the WebAssembly and the JavaScript take.
 */
function ridgeSteps(scales: readonly number[]): { sorted: number[]; steps: Array<Float32Array | null> } {
  const sorted = [...scales].sort((a, b) => a - b);
  const steps = sorted.map((sigma, s) => {
    const extra = Math.sqrt(Math.max(0, sigma * sigma - Math.max(0, s > 0 ? sorted[s - 1] : 0) ** 2));
    return extra > 1e-3 ? gaussianHalfKernel(extra) : null;
  });
  return { sorted, steps };
}

/** ridgeStrength in JavaScript, into `ridge` (zeros). */
export function ridgeStrengthJs(image: Float32Array, width: number, height: number, scales: number[], keep: { sigma: number; into: Float32Array } | undefined, ridge: Float32Array): Float32Array {
  const n = width * height;
  const smooth = borrow(Float32Array, n);
  const tmp = borrow(Float32Array, n);
  smooth.set(image);
  const { sorted, steps } = ridgeSteps(scales);
  sorted.forEach((sigma, s) => {
    const g = steps[s];
    if (g) smoothSeparableJs(smooth, smooth, tmp, width, height, g);
    if (keep && sigma === keep.sigma) keep.into.set(smooth);
    accumulateRidge(smooth, ridge, width, height, sigma * sigma);
  });
  giveBack(smooth, tmp);
  return ridge;
}

/** ridge = max(ridge, norm·max(0, −λ_min)) with the Hessian of f by central differences (edges replicated). */
function accumulateRidge(f: Float32Array, ridge: Float32Array, width: number, height: number, norm: number): void {
  const last = width - 1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    const up = clampRow(y - 1, height) * width;
    const dn = clampRow(y + 1, height) * width;
    // Interior columns without edge clamping (the hot loop); the two edge columns below.
    for (let x = 1; x < last; x++) {
      const c2 = 2 * f[o + x];
      const fxx = f[o + x + 1] + f[o + x - 1] - c2;
      const fyy = f[dn + x] + f[up + x] - c2;
      const fxy = 0.25 * (f[dn + x + 1] - f[dn + x - 1] - f[up + x + 1] + f[up + x - 1]);
      const half = 0.5 * (fxx - fyy);
      const v = (Math.sqrt(half * half + fxy * fxy) - 0.5 * (fxx + fyy)) * norm;
      if (v > ridge[o + x]) ridge[o + x] = v;
    }
    for (const x of last > 0 ? [0, last] : [0]) {
      const xm = x > 0 ? x - 1 : 0;
      const xp = x < last ? x + 1 : last;
      const c2 = 2 * f[o + x];
      const fxx = f[o + xp] + f[o + xm] - c2;
      const fyy = f[dn + x] + f[up + x] - c2;
      const fxy = 0.25 * (f[dn + xp] - f[dn + xm] - f[up + xp] + f[up + xm]);
      const half = 0.5 * (fxx - fyy);
      const v = (Math.sqrt(half * half + fxy * fxy) - 0.5 * (fxx + fyy)) * norm;
      if (v > ridge[o + x]) ridge[o + x] = v;
    }
  }
}

/** The q-quantile of non-negative values, from a 4096-bin histogram (accurate to max/4096). */
export function quantileOfNonNegative(values: Float32Array, q: number): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > max) max = values[i];
  if (!(max > 0)) return 0;
  const bins = 4096;
  const hist = new Uint32Array(bins);
  const scale = (bins - 1) / max;
  for (let i = 0; i < values.length; i++) hist[(values[i] * scale) | 0]++;
  const target = Math.min(values.length - 1, Math.floor(q * values.length));
  let seen = 0;
  for (let b = 0; b < bins; b++) {
    seen += hist[b];
    if (seen > target) return (b + 0.5) / scale;
  }
  return max;
}

/**
 * Cost image for live-wire tracing on one plane. Any sample type; NaN counts as background. The mapping
 * 1 / (1 + (ridge/reference)^p) never saturates, so the centre of a bright neurite stays cheaper than its flanks
 * (which keeps paths on the centre line) and faint neurites still cost far less than background.
 */
export function computeCostImage(plane: PixelArray, width: number, height: number, options: CostOptions = {}): CostResult {
  const t0 = performance.now();
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RamifyError('invalid-argument', `Cannot trace on a ${width}×${height} image.`);
  }
  const scales = options.scales ?? defaultScales(options.scale ?? DEFAULT_SCALE);
  if (scales.length === 0 || scales.some((s) => !(s > 0) || !Number.isFinite(s))) {
    throw new RamifyError('invalid-argument', `Ridge scales must be positive pixel sizes, not ${scales.join(', ')}.`);
  }
  const q = options.referenceQuantile ?? 0.95;
  const p = options.exponent ?? 2;
  const image = planeToFloat(plane, width, height);
  // As the automatic tracer reads its plane (signal.ts): smoothed, a hot px is a bright blob a click snaps towards
  // and a path may bend through. The picture on screen keeps it.
  removeHotPixels(image, width, height);
  const sorted = [...scales].sort((a, b) => a - b);
  const smoothed: SmoothedPlane = { width, height, sigma: sorted[0], data: image };
  // The float copy of the plane is not needed after the first smoothing, so it becomes the smoothed plane.
  const ridge = ridgeStrength(image, width, height, scales, { sigma: smoothed.sigma, into: image });
  for (let i = 0; i < ridge.length; i++) if (!(ridge[i] > 0)) ridge[i] = 0;
  let reference = quantileOfNonNegative(ridge, q);
  if (!(reference > 0)) {
    // Sparse ridges (fewer than 1 − q of pixels): fall back to a fraction of the strongest one.
    let max = 0;
    for (let i = 0; i < ridge.length; i++) if (ridge[i] > max) max = ridge[i];
    reference = max * 0.1;
  }
  const cost = ridge; // reuse the buffer: each pixel's ridge value is read once, then overwritten by its cost
  if (reference > 0) {
    const inv = 1 / reference;
    if (p === 2) {
      for (let i = 0; i < cost.length; i++) {
        const t = cost[i] * inv;
        cost[i] = 1 / (1 + t * t);
      }
    } else {
      for (let i = 0; i < cost.length; i++) cost[i] = 1 / (1 + Math.pow(cost[i] * inv, p));
    }
    // Keep every cost strictly positive, also for absurdly bright pixels (float underflow).
    for (let i = 0; i < cost.length; i++) if (!(cost[i] >= 1e-6)) cost[i] = 1e-6;
  } else {
    cost.fill(1);
  }
  return { cost: { width, height, data: cost }, scales, reference, smoothed, ms: performance.now() - t0 };
}
