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
 * plane never has to exist: memory is level 2 (a quarter of the plane) and the levels above it. Every level fills
 * from the top as rows arrive (each level feeds the next its finished rows), so a partly read image can already be
 * shown: `levels` are live, rows below `rowsDone` of each still zero.
 */
export class PyramidBuilder {
  /** Level 2 first; the arrays are filled in place. */
  readonly levels: PyramidLevel[] = [];
  private readonly stages: LevelStage[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    ctor: Ctor,
  ) {
    const isFloat = ctor === Float32Array || ctor === Float64Array;
    let w = width;
    let h = height;
    let factor = 1;
    do {
      const stage = new LevelStage(w, h, ctor, isFloat);
      factor *= 2;
      w = stage.out.width;
      h = stage.out.height;
      this.stages.push(stage);
      this.levels.push({ factor, width: w, height: h, data: stage.out.data });
    } while (Math.max(w, h) > COARSEST_SIDE);
  }

  /** The next `rows.length / width` rows of the plane. */
  addRows(rows: PixelArray): void {
    let input = rows;
    for (const stage of this.stages) {
      const before = stage.rowsOut;
      stage.addRows(input);
      if (stage.rowsOut === before) break;
      input = stage.out.data.subarray(before * stage.out.width, stage.rowsOut * stage.out.width);
    }
  }

  /** Rows of the plane added so far. */
  get rows(): number {
    return this.stages[0].rowsIn;
  }

  /** Finished rows of each level (all of them once every row of the plane is in). */
  rowsDone(level: number): number {
    return this.stages[level].rowsOut;
  }

  /** The levels, once all rows are in: level 2 and every coarser one up to a longer side ≤ COARSEST_SIDE. */
  finish(): PyramidLevel[] {
    return this.levels;
  }
}

/** One halving: takes rows of a w × h level, writes finished rows of the next. */
class LevelStage {
  readonly out: { width: number; height: number; data: PixelArray };
  rowsIn = 0;
  rowsOut = 0;
  /** A row waiting for its partner (rows arrive in bands of any height). */
  private pending: PixelArray | null = null;

  constructor(
    private readonly w: number,
    private readonly h: number,
    private readonly ctor: Ctor,
    private readonly isFloat: boolean,
  ) {
    const width = Math.ceil(w / 2);
    const height = Math.ceil(h / 2);
    this.out = { width, height, data: new ctor(width * height) };
  }

  addRows(rows: PixelArray): void {
    const w = this.w;
    const n = rows.length / w;
    const w2 = this.out.width;
    const dst = this.out.data;
    let r = 0;
    if (this.pending && n > 0) {
      const two = new this.ctor(2 * w);
      two.set(this.pending);
      two.set(rows.subarray(0, w), w);
      halveRows(two, 0, w, w, dst, this.rowsOut * w2, this.isFloat);
      this.pending = null;
      this.rowsIn++;
      this.rowsOut++;
      r = 1;
    }
    for (; r + 1 < n; r += 2) {
      halveRows(rows, r * w, (r + 1) * w, w, dst, this.rowsOut * w2, this.isFloat);
      this.rowsIn += 2;
      this.rowsOut++;
    }
    if (r < n) {
      this.rowsIn++;
      if (this.rowsIn === this.h) {
        halveRows(rows, r * w, -1, w, dst, this.rowsOut * w2, this.isFloat);
        this.rowsOut++;
      } else this.pending = rows.slice(r * w, (r + 1) * w);
    }
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
