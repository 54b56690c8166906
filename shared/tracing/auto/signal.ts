import type { ImageInfo, PixelArray } from '../../image/types';
import { planeToFloat } from '../cost-image';
import { removeHotPixels } from '../hot-pixels';
import { localTails } from './local-tails';
import { removeStripes } from './stripes';

/** A plane as "how much neurite signal is here": bright structures on a dark background, whatever the file's convention. */
export interface SignalPlane {
  width: number;
  height: number;
  /** Signal per pixel, ≥ 0, larger = more neurite. */
  data: Float32Array;
  /** True when stored values were flipped (bright background: inverted LUT, MinIsWhite, dark-on-light mask). */
  inverted: boolean;
  /** True when the plane holds exactly two values (a binary mask). */
  binary: boolean;
  /**
   * True when `data` are the stored values as they are (not mapped through a colour map, flipped, shifted or rid of stripes; hot px taken out as the live-wire takes them out): a plane
   * smoothed from the stored values, as the live-wire's is, is then the same as one smoothed from `data`.
   */
  stored?: boolean;
}

/**
 * Reads a plane the right way round. A palette image is first mapped through its colour map to luminance. Polarity
 * is then decided from the pixels, not from the file's display flags: neurites cover a small part of a field, so the
 * background is the bulk of the histogram; when the median lies nearer the top of the range than the bottom the
 * background is bright and the plane is flipped. The flags cannot decide it alone: ImageJ binary masks carry an
 * inverted LUT while storing the neurite as 255, and a MinIsWhite fluorescence export stores the neurite as small
 * values; both are read correctly this way. The flag only breaks an exact tie. Hot px are then taken out
 * (hot-pixels.ts).
 */
export function signalFromPlane(plane: PixelArray, info: Pick<ImageInfo, 'width' | 'height' | 'palette' | 'invertedLut' | 'bitsPerSample'>): SignalPlane {
  const { width, height } = info;
  const n = width * height;
  let data = planeToFloat(plane, width, height);
  const lum = paletteLuminance(info);
  if (lum) {
    const mapped = new Float32Array(n);
    for (let i = 0; i < n; i++) mapped[i] = luminanceOf(lum, data[i]);
    data = mapped;
  }
  const [lo, hi] = range(data);
  let binary = hi > lo;
  for (let i = 0; i < n && binary; i++) {
    const v = data[i];
    if (v !== lo && v !== hi) binary = false;
  }
  const inverted = isBrightBackground(data, lo, hi, info.invertedLut === true, () => localTails(data, width));
  // In place: data is this function's own copy of the plane. A binary mask starts at 0 (its foreground is what is
  // above 0), and so does a plane with values below 0; any other keeps its stored values, so that the live-wire's
  // smoothed plane of it is the tracer's (AutoTraceOptions.smoothed) and a trace is the same with it or without.
  const shift = binary || lo < 0 ? lo : 0;
  if (inverted) for (let i = 0; i < n; i++) data[i] = hi - data[i];
  else if (shift !== 0) for (let i = 0; i < n; i++) data[i] = data[i] - shift;
  // The live-wire's cost image takes the same px out of the stored values (cost-image.ts), so `stored` still holds.
  removeHotPixels(data, width, height);
  const stripes = removeStripes(data, width, height);
  const striped = stripes.rows + stripes.columns > 0;
  if (striped) for (let i = 0; i < n; i++) if (!(data[i] >= 0)) data[i] = 0;
  return { width, height, data, inverted, binary, stored: !lum && !inverted && shift === 0 && !striped };
}

/** The colour map's luminance per index when the image has a full palette, else null. */
function paletteLuminance(info: Pick<ImageInfo, 'palette' | 'bitsPerSample'>): Float32Array | null {
  if (!info.palette || info.palette.length !== 3 * 2 ** info.bitsPerSample) return null;
  const entries = info.palette.length / 3;
  const lum = new Float32Array(entries);
  for (let k = 0; k < entries; k++) lum[k] = 0.299 * info.palette[k] + 0.587 * info.palette[entries + k] + 0.114 * info.palette[2 * entries + k];
  return lum;
}

/** A stored value's luminance through the colour map (indices outside it clamped). */
const luminanceOf = (lum: Float32Array, v: number) => lum[Math.max(0, Math.min(lum.length - 1, v | 0))];

/** Px at the plane's top value, as a share of all px, from which the top counts as clipped. */
const CLIPPED_TOP = 1e-3;

/**
 * The median nearer the top of [lo, hi] than the bottom: the background is bright (the flag breaks a tie). Unless the
 * top is clipped and, read against the local background (`tails`: localTails of a plane), clearly more px stand above
 * it than below: neurites clipped a few σ above the background (a display range applied before export, an
 * over-exposed camera) leave the top of the range nearer the median than the noise's low tail under uneven
 * illumination, and the plane would be read as dark on bright and traced along the neurites' dark rims.
 */
function isBrightBackground(values: ArrayLike<number>, lo: number, hi: number, invertedLut: boolean, tails?: () => { above: number; below: number }): boolean {
  const median = quantile(values, 0.5, lo, hi);
  const below = median - lo;
  const above = hi - median;
  const bright = above < below || (above === below && invertedLut);
  if (!bright || !tails || !clippedAt(values, hi)) return bright;
  const t = tails();
  return !(t.above > 2 * t.below);
}

/** At least CLIPPED_TOP of the values equal `top`. */
function clippedAt(values: ArrayLike<number>, top: number): boolean {
  let at = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === top) at++;
  return at >= CLIPPED_TOP * values.length;
}

/** Voxels of a stack read for its polarity, at most this many (spread evenly). */
const POLARITY_SAMPLE = 2 ** 20;

/**
 * True when a stack's neurites are dark on a bright background, decided as signalFromPlane decides a plane's but over
 * the whole stack: one slice may hold no neurite at all (a uniform slice says nothing), and a maximum projection of
 * such a stack would keep the background and lose the neurites. With `width` (the slices' rows), a clipped top is
 * read against the local background as for a plane, on the slice with the most px at the top.
 */
export function brightBackground(slices: readonly PixelArray[], info: Pick<ImageInfo, 'palette' | 'invertedLut' | 'bitsPerSample'>, width?: number): boolean {
  const per = slices[0].length;
  const stride = Math.max(1, Math.floor((per * slices.length) / POLARITY_SAMPLE));
  const lum = paletteLuminance(info);
  const values = new Float64Array(Math.ceil((per * slices.length) / stride));
  for (let k = 0, j = 0; k < per * slices.length; k += stride, j++) {
    const v = slices[Math.floor(k / per)][k % per];
    values[j] = lum ? luminanceOf(lum, v) : v;
  }
  const [lo, hi] = range(values);
  const tails = () => {
    const atTop = slices.map((slice) => {
      let at = 0;
      for (let i = 0; i < slice.length; i++) if ((lum ? luminanceOf(lum, slice[i]) : slice[i]) === hi) at++;
      return at;
    });
    const slice = slices[atTop.indexOf(Math.max(...atTop))];
    return localTails(lum ? Float32Array.from(slice, (v) => luminanceOf(lum, v)) : slice, width!);
  };
  return isBrightBackground(values, lo, hi, info.invertedLut === true, width === undefined ? undefined : tails);
}

const BINS = 65536;

/**
 * The q-quantile of values known to lie in [lo, hi], from a 65536-bin histogram: exact for 8- and 16-bit data, within
 * (hi − lo)/65536 otherwise, and linear time (sorting a 2048² plane would cost more than the rest of a trace). With
 * `mask`, only pixels where mask ≠ 0 count.
 */
export function quantile(values: ArrayLike<number>, q: number, lo: number, hi: number, mask?: Uint8Array): number {
  if (!(hi > lo)) return lo;
  const hist = new Uint32Array(BINS);
  const scale = (BINS - 1) / (hi - lo);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask && !mask[i]) continue;
    count++;
    // The bin is Math.round(x), clamped to the histogram; floor(x + 0.5) is several times faster here, and the
    // check undoes the one case where the sum rounds up to the next integer. NaN counts but lands in no bin.
    const x = (values[i] - lo) * scale;
    if (x > 0) {
      let b = Math.floor(x + 0.5);
      if (b - 0.5 > x) b--;
      hist[b >= BINS ? BINS - 1 : b]++;
    } else if (x <= 0) hist[0]++;
  }
  if (count === 0) return lo;
  const target = Math.min(count - 1, Math.floor(q * count));
  let seen = 0;
  for (let b = 0; b < BINS; b++) {
    seen += hist[b];
    if (seen > target) return lo + b / scale;
  }
  return hi;
}

/** Minimum and maximum of an array (of the masked pixels with `mask`); [0, 0] when nothing counts. */
export function range(values: ArrayLike<number>, mask?: Uint8Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (mask && !mask[i]) continue;
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}
