import { defaultScales, ridgeStrength } from '../cost-image';
import { quantile, range, type SignalPlane } from './signal';
import { flattenBackground } from './background';
import { borrow, giveBack } from '../../scratch-arrays';

/** Median and robust spread (1.4826 × median absolute deviation, σ for Gaussian noise) of an array. */
export function robustLevel(values: Float32Array, mask?: Uint8Array): { median: number; sigma: number } {
  const [lo, hi] = range(values, mask);
  const median = quantile(values, 0.5, lo, hi, mask);
  const dev = borrow(Float32Array, values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i] - median);
  const [dlo, dhi] = range(dev, mask);
  const sigma = 1.4826 * quantile(dev, 0.5, dlo, dhi, mask);
  giveBack(dev);
  return { median, sigma };
}

/**
 * Hysteresis threshold: pixels ≥ low that are 8-connected to a pixel ≥ high. Faint stretches of a neurite that is
 * bright somewhere stay; isolated noise above `low` goes.
 */
export function hysteresis(values: Float32Array, low: number, high: number, width: number, height: number): Uint8Array {
  const n = width * height;
  const out = new Uint8Array(n);
  const stack = borrow(Int32Array, n);
  for (let i = 0; i < n; i++) {
    if (values[i] < high || out[i]) continue;
    out[i] = 1;
    let top = 0;
    stack[top++] = i;
    while (top > 0) {
      const p = stack[--top];
      const x = p % width;
      const y = (p - x) / width;
      const x0 = x > 0 ? -1 : 0;
      const x1 = x < width - 1 ? 1 : 0;
      const y0 = y > 0 ? -1 : 0;
      const y1 = y < height - 1 ? 1 : 0;
      for (let dy = y0; dy <= y1; dy++) {
        for (let dx = x0; dx <= x1; dx++) {
          const q = p + dx + width * dy;
          if (!out[q] && values[q] >= low) {
            out[q] = 1;
            stack[top++] = q;
          }
        }
      }
    }
  }
  giveBack(stack);
  return out;
}

export interface ForegroundOptions {
  /** Hysteresis low threshold in robust σ above the median (default 2). */
  kLow?: number;
  /** Hysteresis high threshold in robust σ above the median (default 5). */
  kHigh?: number;
  /** Background block size in px (default 64): several soma diameters. */
  backgroundPx?: number;
  /** Ridge filter scales in px (default σ = 2/√2, 2, 2√2). */
  ridgeScales?: number[];
}

export interface Foreground {
  /** 1 on neurite/soma pixels. */
  mask: Uint8Array;
  /** Background-flattened signal (the binary mask itself for a mask image). */
  flat: Float32Array;
  /** `flat` smoothed at the ridge filter's finest scale (a step of the filter), when it ran. */
  flatSmoothed: { sigma: number; data: Float32Array } | null;
  /** Thresholds used, for the report. */
  intensity: { median: number; sigma: number; low: number; high: number };
  ridge: { median: number; sigma: number; low: number; high: number } | null;
}

/**
 * Foreground = hysteresis on the background-flattened intensity ∪ hysteresis on the Hessian ridge response (which
 * keeps thin faint neurites whose intensity barely clears the noise but whose shape is a line). Thresholds are the
 * median + k·σ of each image, σ from the MAD, so they adapt to every exposure. A binary mask is its own foreground.
 */
export function detectForeground(signal: SignalPlane, options: ForegroundOptions = {}): Foreground {
  const { width, height, data } = signal;
  const kLow = options.kLow ?? 2;
  const kHigh = options.kHigh ?? 5;
  if (signal.binary) {
    const mask = new Uint8Array(data.length);
    const flat = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) {
      if (data[i] > 0) {
        mask[i] = 1;
        flat[i] = 1;
      }
    }
    return { mask, flat, flatSmoothed: null, intensity: { median: 0, sigma: 0, low: 1, high: 1 }, ridge: null };
  }
  const flat = flattenBackground(data, width, height, options.backgroundPx ?? 64);
  const [, hi] = range(flat);
  // A floor on σ keeps a noise-free (synthetic or heavily denoised) image from taking every non-zero pixel.
  const floor = 1e-3 * hi;
  const lev = robustLevel(flat);
  const sigma = Math.max(lev.sigma, floor);
  const intensity = { median: lev.median, sigma: lev.sigma, low: lev.median + kLow * sigma, high: lev.median + kHigh * sigma };
  // A plane with nothing above its background (blank, or one grey level) has no foreground: with σ 0 the thresholds
  // sit at the median, and every pixel of it would pass them.
  const mask = hi > lev.median ? hysteresis(flat, intensity.low, intensity.high, width, height) : new Uint8Array(flat.length);
  const scales = options.ridgeScales ?? defaultScales(2);
  const flatSmoothed = { sigma: Math.min(...scales), data: new Float32Array(flat.length) };
  const ridgeImg = ridgeStrength(flat, width, height, scales, { sigma: flatSmoothed.sigma, into: flatSmoothed.data }, borrow(Float32Array, flat.length));
  const rl = robustLevel(ridgeImg);
  const [, rhi] = range(ridgeImg);
  const rs = Math.max(rl.sigma, 1e-3 * rhi);
  const ridge = { median: rl.median, sigma: rl.sigma, low: rl.median + kLow * rs, high: rl.median + kHigh * rs };
  const rmask = hysteresis(ridgeImg, ridge.low, ridge.high, width, height);
  // The ridge response spreads about σ beyond a line; only its pixels that are also above the intensity median join.
  for (let i = 0; i < mask.length; i++) if (rmask[i] && flat[i] > lev.median) mask[i] = 1;
  giveBack(ridgeImg, rmask);
  return { mask, flat, flatSmoothed, intensity, ridge };
}
