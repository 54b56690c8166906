import { defaultScales, ridgeStrength } from '../cost-image';
import { quantile, range, type SignalPlane } from './signal';
import { flattenBackground } from './background';
import { imageField } from './image-field';
import { borrow, giveBack } from '../../scratch-arrays';
import { qnorm } from '../../stats/distributions';
import { normalDeviate, seededRandom } from '../../random';

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

/** The share of a plane's pixels at its lowest value from which its background may be clipped there. */
const CLIPPED_SHARE = 0.35;

/**
 * robustLevel of a plane whose background may be clipped at its lowest value. A background subtracted before the
 * image reached us (Fiji's Subtract Background, a display range applied, an offset removed) leaves half the pixels or
 * more at 0, and then the median and the MAD describe the clip, not the noise: σ 0, and every pixel above 0 passes a
 * threshold (DIADEM on the renders fell from 0.56-0.89 to 0.18-0.71, several to 0). Above the clip the background's
 * distribution is intact: with p0 of the pixels at the clip, the background is the Gaussian through the clip and the
 * plane's quantiles at p0 + 5 % and p0 + 35 % of the rest, its median possibly below the clip. A plane with fewer
 * pixels at its lowest value than CLIPPED_SHARE (flattenBackground clips a fifth of a raw image's), one nearly all
 * at it (a mask drawn on black), and a noise-free one (blocks of it all at the clip, shareAllAtClip, or a rise from
 * the clip in one step, risesInSteps) get robustLevel as it is; `width` is the plane's, in px. With `field`
 * (image-field.ts), only its px are read.
 */
export function backgroundLevel(plane: Float32Array, width: number, field: Uint8Array | null = null): BackgroundLevel {
  const values = field ? inField(plane, field) : plane;
  const [lo, hi] = range(values);
  let clipped = 0;
  for (let i = 0; i < values.length; i++) if (values[i] <= lo) clipped++;
  const p0 = clipped / values.length;
  const asIs = () => ({ ...robustLevel(values), clipped: false, field });
  if (!(hi > lo) || p0 >= 0.95) return asIs();
  // Specks of noise above the clip say it is noise that was clipped, whatever its steps: a plane flattened in places
  // only (its background higher there) mixes whole grey levels with fractions, and its first steps above the clip
  // looked too wide. Without them, blocks all at the clip or a rise in one step say the plane is noise-free.
  const noisy = p0 >= DEAD_BLOCKS && isolatedAboveClip(plane, width, lo, field) >= NOISY_SPECKS;
  // Blocks all at the clip beside specks of noise: a background clipped far below its noise in places (a display
  // range's minimum set over an uneven illumination), where nothing says what the noise is: read where it shows.
  const dead = noisy || p0 >= CLIPPED_SHARE ? shareAllAtClip(plane, width, lo, field) : 0;
  if (noisy && dead >= DEAD_BLOCKS) return backgroundLevel(plane, width, blocksAboveClip(plane, width, lo, field));
  if (p0 < CLIPPED_SHARE || dead >= NOISE_FREE_BLOCKS) return asIs();
  if (!noisy && !risesInSteps(values, lo, hi, quantile(values, p0 + 0.35 * (1 - p0), lo, hi))) return asIs();
  // Read close above the clip: higher up, the neurites are a growing share of what is left. They still shift the
  // quantiles read there (a tenth of the pixels: σ 2.3 × too high at 85 % clipped), so the share above 4 σ of the
  // last reading is set aside and the background read again, until that share settles.
  const tolerance = (hi - lo) / (2 * 65536);
  const clip = stepAt(values, lo, tolerance);
  let level: { median: number; sigma: number } | null = null;
  let foreground = 0;
  for (let round = 0; round < 4; round++) {
    const background = 1 - foreground;
    const b0 = Math.min(0.95, p0 / background);
    const steps = [clip, ...[0.05, 0.35].map((f) => stepAt(values, quantile(values, (b0 + f * (1 - b0)) * background, lo, hi), tolerance))];
    const next = fitGaussian(steps.filter((s, k) => k === 0 || s.boundary > steps[k - 1].boundary), background);
    if (!next) break;
    level = next;
    const cut = level.median + 4 * level.sigma;
    let above = 0;
    for (let i = 0; i < values.length; i++) if (values[i] > cut) above++;
    const share = above / values.length;
    if (Math.abs(share - foreground) < 1e-3) break;
    foreground = Math.min(share, 1 - p0 - 0.02);
  }
  return level ? { ...level, clipped: true, field } : asIs();
}

/** A plane's background level and noise, whether read under a clip, and the px it was read over (null: all). */
export interface BackgroundLevel {
  median: number;
  sigma: number;
  clipped: boolean;
  field: Uint8Array | null;
}

/** Side of the square blocks shareAllAtClip reads, px: 64 px each, compact enough to fall between neurites. */
const BLOCK_PX = 8;
/**
 * The share of blocks all at the clip of a plane with specks of noise above it from which the noise is read only where
 * it shows: noise clipped evenly leaves none (0.85^64 of them at 85 % of the px at the clip).
 */
const DEAD_BLOCKS = 0.05;
/** The share of blocks all at the clip from which the background has no noise left to read (see shareAllAtClip). */
const NOISE_FREE_BLOCKS = 0.25;

/**
 * The share of the plane's BLOCK_PX × BLOCK_PX blocks that lie all at its lowest value. Noise clipped at its level
 * leaves some of it above the clip everywhere: with up to 95 % of the px at the clip, at most 4 % of the blocks are
 * all at it (0.95^64); on the renders subtracted up to 1.25 σ too far, none. A plane without noise on a black
 * background (a drawing, a deconvolved or thresholded picture; the renders subtracted without noise, SNT's TreeV and
 * ddaC, the SpotSpine projection) has 40 % of them or more away from its structures, where nothing says what the
 * noise would be: a Gaussian fitted to the tails of its blurred neurites put the threshold over their peaks.
 */
function shareAllAtClip(values: Float32Array, width: number, lo: number, field: Uint8Array | null): number {
  const height = Math.floor(values.length / width);
  let blocks = 0;
  let flat = 0;
  for (let by = 0; by + BLOCK_PX <= height; by += BLOCK_PX) {
    for (let bx = 0; bx + BLOCK_PX <= width; bx += BLOCK_PX) {
      let above = false;
      let outside = false;
      for (let y = by; y < by + BLOCK_PX; y++) {
        for (let i = y * width + bx; i < y * width + bx + BLOCK_PX; i++) {
          if (field && !field[i]) outside = true;
          else if (values[i] > lo) above = true;
        }
      }
      if (outside) continue;
      blocks++;
      if (!above) flat++;
    }
  }
  return blocks > 0 ? flat / blocks : 0;
}

/**
 * The share of a plane's px standing alone above its lowest value (their four neighbours at it) from which px above
 * the clip are noise, not structure: noise clipped at its level leaves single px above it (2-6 % of the px on the
 * renders clipped half to 85 %), a noise-free drawing on black none (its structures are wider than a px: 0 on the
 * renders drawn without noise, SNT's ddaC and the SpotSpine projection).
 */
const NOISY_SPECKS = 0.005;

function isolatedAboveClip(values: Float32Array, width: number, lo: number, field: Uint8Array | null): number {
  const height = Math.floor(values.length / width);
  let alone = 0;
  let read = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let i = y * width + 1; i < (y + 1) * width - 1; i++) {
      if (field && !field[i]) continue;
      read++;
      if (values[i] > lo && values[i - 1] <= lo && values[i + 1] <= lo && values[i - width] <= lo && values[i + width] <= lo) alone++;
    }
  }
  return read > 0 ? alone / read : 0;
}

/** The px of `field` (all without one) in the BLOCK_PX × BLOCK_PX blocks that have a px above the plane's lowest value. */
function blocksAboveClip(values: Float32Array, width: number, lo: number, field: Uint8Array | null): Uint8Array {
  const height = Math.floor(values.length / width);
  const out = new Uint8Array(values.length);
  for (let by = 0; by < height; by += BLOCK_PX) {
    for (let bx = 0; bx < width; bx += BLOCK_PX) {
      const [x1, y1] = [Math.min(width, bx + BLOCK_PX), Math.min(height, by + BLOCK_PX)];
      let above = false;
      for (let y = by; y < y1; y++) for (let i = y * width + bx; i < y * width + x1; i++) if (values[i] > lo && (!field || field[i])) above = true;
      if (!above) continue;
      for (let y = by; y < y1; y++) for (let i = y * width + bx; i < y * width + x1; i++) out[i] = field ? field[i] : 1;
    }
  }
  return out;
}

/** The values of a plane's px in `field`, in order. */
function inField(plane: Float32Array, field: Uint8Array): Float32Array {
  let count = 0;
  for (let i = 0; i < field.length; i++) if (field[i]) count++;
  const out = new Float32Array(count);
  for (let i = 0, k = 0; i < field.length; i++) if (field[i]) out[k++] = plane[i];
  return out;
}

/**
 * The share of `values` at or below v (within `tolerance`), and where a value read as v ends: halfway to the next
 * value above it. An 8-bit plane's values are whole grey levels, each standing for a level ± ½ (a continuous
 * plane's next value lies right above).
 */
function stepAt(values: Float32Array, v: number, tolerance: number): { share: number; boundary: number } {
  let count = 0;
  let next = Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x <= v + tolerance) count++;
    else if (x < next) next = x;
  }
  return { share: count / values.length, boundary: Number.isFinite(next) ? (v + next) / 2 : v };
}

/**
 * The Gaussian (median, σ) through points of its distribution function, least squares on boundary = median + σ·z;
 * shares are of the plane, `background` the share that is background. Null with fewer than two points or no spread.
 */
function fitGaussian(points: ReadonlyArray<{ share: number; boundary: number }>, background: number): { median: number; sigma: number } | null {
  if (points.length < 2) return null;
  const zs = points.map((p) => qnorm(Math.min(0.999, p.share / background)));
  const mz = zs.reduce((a, z) => a + z, 0) / zs.length;
  const mb = points.reduce((a, p) => a + p.boundary, 0) / points.length;
  let szz = 0;
  let szb = 0;
  points.forEach((p, k) => {
    szz += (zs[k] - mz) ** 2;
    szb += (zs[k] - mz) * (p.boundary - mb);
  });
  const sigma = szb / szz;
  if (!(sigma > 0) || !Number.isFinite(sigma)) return null;
  return { median: mb - sigma * mz, sigma };
}

/** Values read for the steps above a clip, at most (spread over the plane). */
const STEP_SAMPLE = 1 << 16;

/**
 * Whether the plane rises from its clip in the small steps of noise. Where its noise spans several distinct values
 * up to `upTo`, its first ten above the clip climb, on average, no more than three times the median step between
 * them (clipped noise rises in the steps of its samples' density or of a fine quantisation). Where it spans one or
 * two (an 8-bit export whose noise is 2 grey levels), its first value above the clip is one quantum up, the quantum
 * (its smallest step anywhere) a sixteenth of its range or less. A noise-free plane drawn on black rises in one step to
 * its first structure (56 grey levels, then 84 and 50 apart, on the CLI's synthetic stack), and a Gaussian read from
 * that would be nonsense.
 */
function risesInSteps(values: Float32Array, lo: number, hi: number, upTo: number): boolean {
  const stride = Math.max(1, Math.floor(values.length / STEP_SAMPLE));
  const seen: number[] = [];
  for (let i = 0; i < values.length; i += stride) if (values[i] > lo) seen.push(values[i]);
  seen.sort((x, y) => x - y);
  const distinct = seen.filter((v, k) => k === 0 || v > seen[k - 1]);
  if (distinct.length < 2) return false;
  const steps = distinct.slice(1).map((v, k) => v - distinct[k]);
  const near = distinct.filter((v) => v <= upTo);
  if (near.length >= 3) {
    const gaps = steps.slice(0, near.length - 1).sort((x, y) => x - y);
    // The first few steps together: one step of sampled noise is as random as an exponential draw.
    const k = Math.min(10, near.length - 1);
    return (near[k] - lo) / (k + 1) <= 3 * gaps[Math.floor(gaps.length / 2)];
  }
  const quantum = steps.reduce((m, s) => Math.min(m, s), Infinity);
  return quantum <= (hi - lo) / 16 && distinct[0] - lo <= 1.5 * quantum;
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
  /**
   * Where the plane holds image (image-field.ts) and shows its noise (not in blocks all at a clip far below it,
   * backgroundLevel): null when it all does; never foreground outside it.
   */
  field: Uint8Array | null;
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
    return { mask, flat, flatSmoothed: null, intensity: { median: 0, sigma: 0, low: 1, high: 1 }, ridge: null, field: null };
  }
  const image = imageField(data, width, height);
  const flat = flattenBackground(data, width, height, options.backgroundPx ?? 64, 0.2, image);
  const [lo, hi] = range(flat);
  const lev = backgroundLevel(flat, width, image);
  const field = lev.field;
  // A floor on σ keeps a noise-free (synthetic or heavily denoised) image from taking every non-zero pixel.
  const floor = 1e-3 * signalScale(flat, lo, hi, lev.median);
  const sigma = Math.max(lev.sigma, floor);
  const intensity = { median: lev.median, sigma: lev.sigma, low: lev.median + kLow * sigma, high: lev.median + kHigh * sigma };
  // A plane with nothing above its background (blank, or one grey level) has no foreground: with σ 0 the thresholds
  // sit at the median, and every pixel of it would pass them.
  const mask = hi > lev.median ? hysteresis(flat, intensity.low, intensity.high, width, height) : new Uint8Array(flat.length);
  const scales = options.ridgeScales ?? defaultScales(2);
  const flatSmoothed = { sigma: Math.min(...scales), data: new Float32Array(flat.length) };
  const ridgeImg = ridgeStrength(flat, width, height, scales, { sigma: flatSmoothed.sigma, into: flatSmoothed.data }, borrow(Float32Array, flat.length));
  // Clipped, the noise's ridges are clipped too, and their median and MAD would let the remnants of noise through:
  // the ridge's level is white noise's of the σ read under the clip (the response scales with the intensity).
  const rl = lev.clipped ? scaled(ridgeOfUnitNoise(scales), lev.sigma) : robustLevel(ridgeImg, field ?? undefined);
  const [rlo, rhi] = range(ridgeImg);
  const rs = Math.max(rl.sigma, 1e-3 * signalScale(ridgeImg, rlo, rhi, rl.median));
  const ridge = { median: rl.median, sigma: rl.sigma, low: rl.median + kLow * rs, high: rl.median + kHigh * rs };
  const rmask = hysteresis(ridgeImg, ridge.low, ridge.high, width, height);
  // The ridge response spreads about σ beyond a line; only its pixels that are also above the intensity median join.
  // (Above the clip, too: a pixel at it may lie anywhere under it.)
  const above = Math.max(lev.median, 0);
  for (let i = 0; i < mask.length; i++) if (rmask[i] && flat[i] > above) mask[i] = 1;
  if (field) for (let i = 0; i < mask.length; i++) mask[i] &= field[i];
  giveBack(ridgeImg, rmask);
  return { mask, flat, flatSmoothed, intensity, ridge, field };
}

/** The share of a plane's px at or below the level its signal's scale is read at (signalScale). */
const SIGNAL_QUANTILE = 0.99;

/**
 * The scale of a plane's signal, for a floor on its noise: the level a hundredth of the px stand above, or the plane's
 * top when that is no higher than the background (a drawing whose lines cover less). Not the top itself: a speck of
 * saturated debris (a dead cell, a bead, a burned-in scale bar: 37 px at 65535 beside a render whose neurites stand
 * 72-168 above the background) put the floor 8 σ of the noise up, and nothing was traced.
 */
function signalScale(values: Float32Array, lo: number, hi: number, background: number): number {
  const q = quantile(values, SIGNAL_QUANTILE, lo, hi);
  return q > background ? q : hi;
}

const scaled = (level: { median: number; sigma: number }, by: number) => ({ median: level.median * by, sigma: level.sigma * by });

/** Per scale set, robustLevel of the ridge response of white Gaussian noise of σ 1 (a 128 × 128 draw, always the same). */
const unitRidgeLevels = new Map<string, { median: number; sigma: number }>();

function ridgeOfUnitNoise(scales: readonly number[]): { median: number; sigma: number } {
  const key = scales.join(' ');
  let level = unitRidgeLevels.get(key);
  if (!level) {
    const n = 128;
    const uniform = seededRandom(1);
    const noise = new Float32Array(n * n);
    for (let i = 0; i < noise.length; i++) noise[i] = normalDeviate(uniform);
    level = robustLevel(ridgeStrength(noise, n, n, [...scales]));
    unitRidgeLevels.set(key, level);
  }
  return level;
}
