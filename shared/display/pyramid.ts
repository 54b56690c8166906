import type { PixelArray } from '../image/types';

/**
 * Reduced-resolution copies of one plane for display when zoomed out: level k holds the mean of each 2^k × 2^k
 * block (blocks at the right and bottom edges average the pixels they have). Full resolution is never kept here:
 * at 1:1 and closer the viewer shows decoded tiles, so what is on screen there is the data itself.
 */
export interface PyramidLevel {
  /** Full-resolution pixels per level pixel along each axis (2, 4, 8, ...). */
  factor: number;
  width: number;
  height: number;
  data: PixelArray;
}

/** Levels stop when the longer side fits this: the whole image at a glance costs no more than this squared. */
export const COARSEST_SIDE = 256;

type Ctor = { new (n: number): PixelArray };

/** 2×2 means of `src` (w × h) into `dst` (ceil(w/2) × ceil(h/2)); integers round half up. */
function halve(src: PixelArray, w: number, h: number, dst: PixelArray, isFloat: boolean): void {
  const w2 = Math.ceil(w / 2);
  for (let y = 0; y < h; y += 2) halveRows(src, y * w, y + 1 < h ? (y + 1) * w : -1, w, dst, (y >> 1) * w2, isFloat);
}

/** One output row from source rows starting at a and b (b = -1: no second row, at the bottom edge). */
function halveRows(src: PixelArray, a: number, b: number, w: number, dst: PixelArray, at: number, isFloat: boolean): void {
  const pairs = w >> 1;
  if (b >= 0) {
    for (let i = 0; i < pairs; i++) {
      const s = src[a + 2 * i] + src[a + 2 * i + 1] + src[b + 2 * i] + src[b + 2 * i + 1];
      dst[at + i] = isFloat ? s / 4 : Math.floor((s + 2) / 4);
    }
    if (w & 1) {
      const s = src[a + w - 1] + src[b + w - 1];
      dst[at + pairs] = isFloat ? s / 2 : Math.floor((s + 1) / 2);
    }
  } else {
    for (let i = 0; i < pairs; i++) {
      const s = src[a + 2 * i] + src[a + 2 * i + 1];
      dst[at + i] = isFloat ? s / 2 : Math.floor((s + 1) / 2);
    }
    if (w & 1) dst[at + pairs] = src[a + w - 1];
  }
}

/**
 * Builds a plane's pyramid from its rows as they are decoded (in order, any number at a time), so the full-resolution
 * plane never has to exist: memory is level 2 (a quarter of the plane) and the levels above it.
 */
export class PyramidBuilder {
  private readonly level2: PixelArray;
  private readonly isFloat: boolean;
  /** A row waiting for its partner (rows arrive in bands of any height). */
  private pending: PixelArray | null = null;
  private rowsIn = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly ctor: Ctor,
  ) {
    this.level2 = new ctor(Math.ceil(width / 2) * Math.ceil(height / 2));
    this.isFloat = ctor === Float32Array || ctor === Float64Array;
  }

  /** The next `rows.length / width` rows of the plane. */
  addRows(rows: PixelArray): void {
    const w = this.width;
    const n = rows.length / w;
    const w2 = Math.ceil(w / 2);
    let r = 0;
    if (this.pending) {
      // Pair the waiting row with this band's first: copy both into one small buffer.
      const two = new this.ctor(2 * w);
      two.set(this.pending);
      two.set(rows.subarray(0, w), w);
      halveRows(two, 0, w, w, this.level2, (this.rowsIn >> 1) * w2, this.isFloat);
      this.pending = null;
      this.rowsIn++;
      r = 1;
    }
    for (; r + 1 < n; r += 2) {
      halveRows(rows, r * w, (r + 1) * w, w, this.level2, (this.rowsIn >> 1) * w2, this.isFloat);
      this.rowsIn += 2;
    }
    if (r < n) {
      this.pending = rows.slice(r * w, (r + 1) * w);
      this.rowsIn++;
      if (this.rowsIn === this.height) {
        halveRows(this.pending, 0, -1, w, this.level2, ((this.rowsIn - 1) >> 1) * w2, this.isFloat);
        this.pending = null;
      }
    }
  }

  /** Rows of the plane added so far. */
  get rows(): number {
    return this.rowsIn;
  }

  /** Level 2 and every coarser level up to one whose longer side is ≤ COARSEST_SIDE. */
  finish(): PyramidLevel[] {
    let w = Math.ceil(this.width / 2);
    let h = Math.ceil(this.height / 2);
    const levels: PyramidLevel[] = [{ factor: 2, width: w, height: h, data: this.level2 }];
    while (Math.max(w, h) > COARSEST_SIDE) {
      const prev = levels[levels.length - 1];
      const nw = Math.ceil(w / 2);
      const nh = Math.ceil(h / 2);
      const data = new this.ctor(nw * nh);
      halve(prev.data, w, h, data, this.isFloat);
      levels.push({ factor: prev.factor * 2, width: nw, height: nh, data });
      w = nw;
      h = nh;
    }
    return levels;
  }
}

/** The mean-of-blocks level of a whole plane (what PyramidBuilder's level 2 and above hold), for tests and small images. */
export function reduceBy2(src: PixelArray, w: number, h: number): PixelArray {
  const out = new (src.constructor as Ctor)(Math.ceil(w / 2) * Math.ceil(h / 2));
  halve(src, w, h, out, src instanceof Float32Array || src instanceof Float64Array);
  return out;
}

/** Rows [y, y + rh) × columns [x, x + rw) of a w-wide plane, as a new array. */
export function cropPlane(src: PixelArray, w: number, x: number, y: number, rw: number, rh: number): PixelArray {
  const out = new (src.constructor as Ctor)(rw * rh);
  for (let r = 0; r < rh; r++) out.set(src.subarray((y + r) * w + x, (y + r) * w + x + rw), r * rw);
  return out;
}
