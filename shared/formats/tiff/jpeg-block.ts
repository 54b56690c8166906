import { decode as decodeJpegData } from 'jpeg-js';
import { RamifyError } from '../../result';
import { readJpegFrame } from '../jpeg';

// JPEG-compressed TIFF strips and tiles (Compression 7). jpeg-js does the entropy decoding and the IDCT; chroma
// upsampling and YCbCr → RGB are done here the way libjpeg does them by default (fancy upsampling, integer colour
// tables), because libtiff, Pillow and tifffile all decode through libjpeg and users compare against them. jpeg-js's
// own upsampling repeats samples, which differs from libjpeg by far more than the ±1 its IDCT may differ by.

/** What decoding a JPEG block needs besides its bytes. */
export interface JpegBlockParams {
  /** The JPEGTables tag (SOI, quantisation and Huffman tables, EOI) shared by all blocks, if any. */
  tables?: Uint8Array;
  /** PhotometricInterpretation 6: the JPEG holds YCbCr, returned as RGB (as libtiff's JPEGCOLORMODE_RGB does). */
  ycbcr: boolean;
  /** Samples per pixel the block must hold (1, or 3 for colour). */
  spp: number;
  /** Block width in pixels; `dst` holds rows of blockWidth × spp bytes. */
  blockWidth: number;
  /** Rows per strip or tile (a last strip's JPEG may still be this tall; libtiff accepts that). */
  blockHeight: number;
  /**
   * Old-style JPEG: libtiff hands out the coded YCbCr samples and its RGBA reader repeats chroma over each block
   * (no smoothing), so chroma is repeated here too.
   */
  repeatChroma?: boolean;
}

const corrupt = (why: string) => new RamifyError('corrupt', `Corrupt TIFF: JPEG data cannot be decoded (${why}).`);

/** One JPEG stream from the shared tables and a block's own stream (SOI of the block and EOI of the tables dropped). */
export function mergeJpegTables(tables: Uint8Array | undefined, src: Uint8Array): Uint8Array {
  if (!tables || tables.length < 4) return src;
  const end = tables[tables.length - 2] === 0xff && tables[tables.length - 1] === 0xd9 ? tables.length - 2 : tables.length;
  const start = src[0] === 0xff && src[1] === 0xd8 ? 2 : 0;
  const out = new Uint8Array(end + src.length - start);
  out.set(tables.subarray(0, end));
  out.set(src.subarray(start), end);
  return out;
}

/** Decodes one JPEG strip or tile into `dst` (interleaved 8-bit samples, stored order); returns bytes written. */
export function decodeJpegBlock(src: Uint8Array, dst: Uint8Array, p: JpegBlockParams): number {
  const data = mergeJpegTables(p.tables, src);
  const frame = readJpegFrame(data);
  if (!frame) throw corrupt('no frame header');
  if (frame.precision !== 8) throw new RamifyError('unsupported', `TIFF with ${frame.precision}-bit JPEG compression is not supported (only 8-bit).`);
  if (frame.components !== p.spp || (p.spp !== 1 && p.spp !== 3)) throw corrupt(`${frame.components} JPEG components for ${p.spp} samples per pixel`);
  const { width: w, height: h } = frame;
  // As libtiff: a JPEG larger than its strip or tile is refused before anything is allocated for it.
  if (w > p.blockWidth || h > p.blockHeight) throw corrupt(`a ${w}×${h} JPEG in a ${p.blockWidth}×${p.blockHeight} strip or tile`);
  let rgb: Uint8Array;
  try {
    // colorTransform false: the samples as coded (Y, Cb, Cr or R, G, B), each upsampled by repetition.
    rgb = decodeJpegData(data, { useTArray: true, formatAsRGBA: false, colorTransform: false, maxResolutionInMP: Math.ceil((w * h) / 1e6) + 1, maxMemoryUsageInMB: Math.ceil((w * h * 8) / 2 ** 20) + 16 }).data;
  } catch (e) {
    throw corrupt(e instanceof Error ? e.message : String(e));
  }
  const spp = p.spp;
  const planes: Uint8Array[] = [];
  const maxH = Math.max(...frame.sampling.map((s) => s.h));
  const maxV = Math.max(...frame.sampling.map((s) => s.v));
  for (let c = 0; c < spp; c++) {
    const plane = new Uint8Array(w * h);
    // jpeg-js returns 3 bytes per pixel even for greyscale.
    for (let i = 0, j = c; i < plane.length; i++, j += 3) plane[i] = rgb[j];
    const s = frame.sampling[c] ?? { h: maxH, v: maxV };
    planes.push(spp === 3 && !p.repeatChroma ? upsampleLikeLibjpeg(plane, w, h, maxH / s.h, maxV / s.v) : plane);
  }
  if (p.ycbcr && spp === 3) ycbcrToRgb(planes[0], planes[1], planes[2]);
  const rowBytes = p.blockWidth * spp;
  const rows = Math.min(h, Math.floor(dst.length / rowBytes));
  const cols = Math.min(w, p.blockWidth);
  for (let y = 0; y < rows; y++) {
    for (let c = 0; c < spp; c++) {
      const plane = planes[c];
      for (let x = 0, o = y * rowBytes + c, i = y * w; x < cols; x++, o += spp) dst[o] = plane[i + x];
    }
  }
  return rows * rowBytes;
}

/**
 * Replaces a plane that jpeg-js upsampled by repetition (factors fx × fy) with libjpeg's default upsampling: the
 * "fancy" triangle filter for 2×1, 1×2 and 2×2 (jdsample.c), repetition otherwise. Edges repeat the last sample,
 * as libjpeg's context rows do.
 */
export function upsampleLikeLibjpeg(plane: Uint8Array, w: number, h: number, fx: number, fy: number): Uint8Array {
  const fancyH = fx === 2 && (fy === 1 || fy === 2);
  const fancyV = fx === 1 && fy === 2;
  if (!fancyH && !fancyV) return plane;
  const cw = Math.ceil(w / fx);
  const ch = Math.ceil(h / fy);
  // libjpeg upsamples 2×1 and 2×2 by repetition when the component is at most 2 samples wide.
  if (fancyH && cw <= 2) return plane;
  // The coded samples: jpeg-js put sample (cx, cy) at pixel (cx·fx, cy·fy).
  const small = new Uint8Array(cw * ch);
  for (let cy = 0; cy < ch; cy++) for (let cx = 0; cx < cw; cx++) small[cy * cw + cx] = plane[cy * fy * w + cx * fx];
  const out = new Uint8Array(w * h);
  const wide = new Uint8Array(cw * fx);
  for (let y = 0; y < h; y++) {
    const cy = Math.floor(y / fy);
    const row = cy * cw;
    if (fy === 1) {
      h2v1Row(small, row, cw, wide);
    } else {
      // Even output rows weigh the sample row above, odd ones the row below (edges repeat the first/last row).
      const near = Math.min(Math.max(y % 2 === 0 ? cy - 1 : cy + 1, 0), ch - 1) * cw;
      if (fx === 2) h2v2Row(small, row, near, cw, wide);
      else for (let x = 0; x < cw; x++) wide[x] = (small[row + x] * 3 + small[near + x] + (y % 2 === 0 ? 1 : 2)) >> 2;
    }
    out.set(wide.subarray(0, w), y * w);
  }
  return out;
}

function h2v1Row(s: Uint8Array, row: number, cw: number, out: Uint8Array): void {
  out[0] = s[row];
  out[1] = (s[row] * 3 + s[row + 1] + 2) >> 2;
  for (let x = 1; x < cw - 1; x++) {
    const v = s[row + x] * 3;
    out[2 * x] = (v + s[row + x - 1] + 1) >> 2;
    out[2 * x + 1] = (v + s[row + x + 1] + 2) >> 2;
  }
  const last = s[row + cw - 1];
  out[2 * cw - 2] = (last * 3 + s[row + cw - 2] + 1) >> 2;
  out[2 * cw - 1] = last;
}

function h2v2Row(s: Uint8Array, row: number, near: number, cw: number, out: Uint8Array): void {
  // Column sums of 3 × this row + 1 × the nearer neighbouring row; libjpeg alternates the rounding bias (8 and 7).
  const col = (x: number) => s[row + x] * 3 + s[near + x];
  let last = col(0);
  let cur = last;
  let next = col(1);
  out[0] = (cur * 4 + 8) >> 4;
  out[1] = (cur * 3 + next + 7) >> 4;
  for (let x = 1; x < cw - 1; x++) {
    last = cur;
    cur = next;
    next = col(x + 1);
    out[2 * x] = (cur * 3 + last + 8) >> 4;
    out[2 * x + 1] = (cur * 3 + next + 7) >> 4;
  }
  last = cur;
  cur = next;
  out[2 * cw - 2] = (cur * 3 + last + 8) >> 4;
  out[2 * cw - 1] = (cur * 4 + 7) >> 4;
}

// libjpeg's integer YCbCr → RGB (jdcolor.c): 16-bit fixed point, tables rounded once, results clamped to 0..255.
const SCALE = 16;
const HALF = 1 << (SCALE - 1);
const fix = (x: number) => Math.floor(x * (1 << SCALE) + 0.5);
const crR = new Int32Array(256);
const cbB = new Int32Array(256);
const crG = new Int32Array(256);
const cbG = new Int32Array(256);
for (let i = 0; i < 256; i++) {
  const x = i - 128;
  crR[i] = (fix(1.402) * x + HALF) >> SCALE;
  cbB[i] = (fix(1.772) * x + HALF) >> SCALE;
  crG[i] = -fix(0.71414) * x;
  cbG[i] = -fix(0.34414) * x + HALF;
}
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Converts planes of Y, Cb, Cr in place to R, G, B exactly as libjpeg's default (integer) conversion does. */
export function ycbcrToRgb(y: Uint8Array, cb: Uint8Array, cr: Uint8Array): void {
  for (let i = 0; i < y.length; i++) {
    const Y = y[i];
    const b = cb[i];
    const r = cr[i];
    y[i] = clamp(Y + crR[r]);
    cb[i] = clamp(Y + ((cbG[b] + crG[r]) >> SCALE));
    cr[i] = clamp(Y + cbB[b]);
  }
}
