import type { PixelArray } from '../image/types';

/** How one channel is shown: linear map of [min, max] to 0..1, then tinted by an RGB colour and added. */
export interface ChannelDisplay {
  visible: boolean;
  min: number;
  max: number;
  /** Tint as 0–255 RGB. */
  rgb: readonly [number, number, number];
  /** Show dark as bright (TIFF MinIsWhite files, or the user's choice). */
  inverted?: boolean;
  /** A palette image's colour map (R block, G block, B block of 16-bit values); replaces the tint. */
  palette?: Uint16Array;
}

export const CHANNEL_COLORS: Record<string, readonly [number, number, number]> = {
  grey: [255, 255, 255],
  green: [0, 255, 0],
  magenta: [255, 0, 255],
  red: [255, 0, 0],
  blue: [0, 0, 255],
  cyan: [0, 255, 255],
  yellow: [255, 255, 0],
};

/**
 * Additive composite of single-sample planes into RGBA bytes. Integer planes up to 16 bits go through a lookup table
 * (one multiply-free pass per pixel); wider and float planes map directly.
 */
export function renderComposite(planes: PixelArray[], displays: ChannelDisplay[], out: Uint8ClampedArray): void {
  const n = out.length >> 2;
  const acc = new Float32Array(n * 3);
  for (let c = 0; c < planes.length; c++) {
    const d = displays[c];
    if (!d?.visible) continue;
    addChannel(planes[c], d, acc);
  }
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    const k = i << 2;
    out[k] = acc[j];
    out[k + 1] = acc[j + 1];
    out[k + 2] = acc[j + 2];
    out[k + 3] = 255;
  }
}

/**
 * Display level 0..1 of a sample for the range [min, max]. A degenerate range (max ≤ min: a uniform image, or the
 * user typing equal bounds) is a threshold at its centre: below black, above white, exactly on it mid-grey, so a
 * uniform image is visible instead of black. NaN is black.
 */
export function displayLevel(v: number, min: number, max: number): number {
  if (max > min) {
    const t = (v - min) / (max - min);
    return t !== t ? 0 : t < 0 ? 0 : t > 1 ? 1 : t;
  }
  const c = (min + max) / 2;
  return v < c ? 0 : v > c ? 1 : v === c ? 0.5 : 0;
}

function addChannel(data: PixelArray, d: ChannelDisplay, acc: Float32Array): void {
  const lutable = data instanceof Uint8Array || data instanceof Uint16Array || data instanceof Int8Array || data instanceof Int16Array;
  if (d.palette) {
    const entries = d.palette.length / 3;
    for (let i = 0, j = 0; i < data.length; i++, j += 3) {
      const v = Math.max(0, Math.min(entries - 1, data[i] | 0));
      acc[j] += d.palette[v] / 257;
      acc[j + 1] += d.palette[v + entries] / 257;
      acc[j + 2] += d.palette[v + 2 * entries] / 257;
    }
    return;
  }
  const [r, g, b] = d.rgb;
  const level = (v: number) => {
    const t = displayLevel(v, d.min, d.max);
    return d.inverted ? 1 - t : t;
  };
  if (lutable) {
    const signed = data instanceof Int8Array || data instanceof Int16Array;
    const size = data instanceof Uint8Array || data instanceof Int8Array ? 256 : 65536;
    const offset = signed ? size / 2 : 0;
    const lut = new Float32Array(size);
    for (let v = 0; v < size; v++) lut[v] = level(v - offset);
    for (let i = 0, j = 0; i < data.length; i++, j += 3) {
      const t = lut[data[i] + offset];
      if (t === 0) continue;
      acc[j] += t * r;
      acc[j + 1] += t * g;
      acc[j + 2] += t * b;
    }
    return;
  }
  for (let i = 0, j = 0; i < data.length; i++, j += 3) {
    const t = level(data[i]);
    if (t === 0) continue;
    acc[j] += t * r;
    acc[j + 1] += t * g;
    acc[j + 2] += t * b;
  }
}
