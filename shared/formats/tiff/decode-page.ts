import { RamifyError } from '../../result';
import type { PixelArray } from '../../image/types';
import type { TiffStructure } from './ifd';
import { inflateInto } from './inflate';
import { lzwDecode } from './lzw-decode';
import { packbitsDecode } from './packbits';
import type { PageLayout } from './page';
import { undoFloatPredictor, undoHorizontalPredictor } from './predictor';
import { isDirectWidth, swapBytes, unpackBits, viewSamples } from './samples';

/** Upper bound of decoded/compressed size for each compression, so a lying header fails before any allocation. */
export function maxExpansion(compression: number): number {
  switch (compression) {
    case 1: return 1;
    case 32773: return 64; // a 2-byte run yields at most 128 bytes
    case 8: case 32946: return 1040; // zlib's limit is about 1032:1
    case 5: return 1400; // 12-bit codes whose strings grow by one byte each, about 1340:1 between ClearCodes
    default: return 1;
  }
}

/** Bytes the page's samples occupy as stored (before bit unpacking), per sample plane when planar. */
export function storedRowBytes(p: PageLayout, width: number): number {
  return Math.ceil((width * (p.planar ? 1 : p.samplesPerPixel) * p.bitsPerSample) / 8);
}

export function storedPageBytes(p: PageLayout): number {
  return storedRowBytes(p, p.width) * p.height * (p.planar ? p.samplesPerPixel : 1);
}

/** Checks the page's claimed size against its compressed bytes and the file, before allocating anything. */
export function checkPlausibleSize(t: TiffStructure, p: PageLayout): void {
  const blocks = p.blocksAcross * p.blocksDown * (p.planar ? p.samplesPerPixel : 1);
  let available = 0;
  for (let i = 0; i < blocks; i++) {
    const off = p.offsets[i];
    const count = p.byteCounts[i];
    if (count === 0) continue;
    if (off >= t.bytes.length) throw new RamifyError('corrupt', `Corrupt TIFF (page ${p.index + 1}): ${p.tiled ? 'tile' : 'strip'} ${i + 1} starts at byte ${off}, past the end of the ${t.bytes.length}-byte file (truncated?).`);
    available += Math.min(count, t.bytes.length - off);
  }
  const need = storedPageBytes(p);
  // Tiles may extend past the image edge, so compare against the tile grid's size for uncompressed data.
  const gridBytes = p.tiled ? storedRowBytes(p, p.blockWidth) * p.blockHeight * blocks : need;
  const possible = available * maxExpansion(p.compression);
  if (possible < Math.min(need, gridBytes) && possible < need) {
    throw new RamifyError('corrupt', `Corrupt TIFF (page ${p.index + 1}): it claims ${p.width}×${p.height} pixels (${need} bytes) but holds only ${available} bytes of image data (truncated?).`);
  }
}

/** Decodes one zlib (or raw Deflate) block into `dst`, returning bytes written; see DecodeOptions.inflate. */
export type InflateFn = (src: Uint8Array, dst: Uint8Array) => number;

function decompress(compression: number, src: Uint8Array, dst: Uint8Array, inflate: InflateFn): number {
  switch (compression) {
    case 1: {
      const m = Math.min(src.length, dst.length);
      dst.set(src.subarray(0, m));
      return m;
    }
    case 5: return lzwDecode(src, dst);
    case 8: case 32946: return inflate(src, dst);
    case 32773: return packbitsDecode(src, dst);
    default: throw new RamifyError('unsupported', `TIFF compression ${compression} is not supported.`);
  }
}

/**
 * Decodes one page into one typed array per sample (RGB → 3), in host byte order. `onBlock` is called after each
 * strip or tile so callers can report progress.
 */
export function decodePage(t: TiffStructure, p: PageLayout, onBlock?: () => void, inflate: InflateFn = inflateInto): PixelArray[] {
  const spp = p.samplesPerPixel;
  const bits = p.bitsPerSample;
  const direct = isDirectWidth(bits);
  const bytesPerSample = direct ? bits / 8 : 0;
  const planeRowBytes = storedRowBytes(p, p.width);
  const planeBytes = planeRowBytes * p.height;
  const raw = new Uint8Array(planeBytes * (p.planar ? spp : 1));
  const blockSpp = p.planar ? 1 : spp;
  const blockRowBytes = storedRowBytes(p, p.blockWidth);
  const blockBytes = blockRowBytes * p.blockHeight;
  const tileBuf = p.tiled ? new Uint8Array(blockBytes) : null;
  const swap = direct && bits > 8 && !t.littleEndian;
  const perPlane = p.blocksAcross * p.blocksDown;
  const fileLen = t.bytes.length;

  for (let b = 0; b < perPlane * (p.planar ? spp : 1); b++) {
    const plane = p.planar ? Math.floor(b / perPlane) : 0;
    const within = b - plane * perPlane;
    const by = Math.floor(within / p.blocksAcross);
    const bx = within - by * p.blocksAcross;
    const y0 = by * p.blockHeight;
    const rows = p.tiled ? p.blockHeight : Math.min(p.blockHeight, p.height - y0);
    const dst = tileBuf ?? raw.subarray(plane * planeBytes + y0 * planeRowBytes, plane * planeBytes + (y0 + rows) * planeRowBytes);
    const off = p.offsets[b];
    const count = p.byteCounts[b];
    if (count > 0) {
      if (off >= fileLen) throw new RamifyError('corrupt', `Corrupt TIFF (page ${p.index + 1}): ${p.tiled ? 'tile' : 'strip'} ${b + 1} starts past the end of the file (truncated?).`);
      const src = t.bytes.subarray(off, Math.min(off + count, fileLen));
      if (tileBuf) tileBuf.fill(0);
      const got = decompress(p.compression, src, dst, inflate);
      if (got < dst.length && !(p.tiled && got > 0)) {
        throw new RamifyError('corrupt', `Corrupt TIFF (page ${p.index + 1}): ${p.tiled ? 'tile' : 'strip'} ${b + 1} holds ${got} of ${dst.length} bytes (truncated or damaged file).`);
      }
      if (direct) {
        if (p.predictor === 3) undoFloatPredictor(dst, p.blockWidth, rows, blockSpp, bytesPerSample);
        else {
          if (swap) swapBytes(dst, bytesPerSample);
          if (p.predictor === 2) undoHorizontalPredictor(dst, p.blockWidth, rows, blockSpp, bytesPerSample);
        }
      }
      if (tileBuf) {
        const x0 = bx * p.blockWidth;
        const cols = Math.min(p.blockWidth, p.width - x0);
        const copyBytes = Math.ceil((cols * blockSpp * bits) / 8);
        const dstX = (x0 * blockSpp * bits) / 8; // tile widths are multiples of 16, so this is whole bytes
        for (let r = 0; r < rows && y0 + r < p.height; r++) {
          const d = plane * planeBytes + (y0 + r) * planeRowBytes + dstX;
          raw.set(tileBuf.subarray(r * blockRowBytes, r * blockRowBytes + copyBytes), d);
        }
      }
    }
    onBlock?.();
  }

  const n = p.width * p.height;
  if (!direct) {
    const signed = p.sampleFormat === 'int';
    if (p.sampleFormat === 'float') throw new RamifyError('unsupported', `${bits}-bit floating-point TIFF samples are not supported.`);
    if (p.planar) {
      const out: PixelArray[] = [];
      for (let s = 0; s < spp; s++) out.push(unpackBits(raw.subarray(s * planeBytes, (s + 1) * planeBytes), planeRowBytes, p.height, p.width, bits, signed));
      return out;
    }
    const all = unpackBits(raw, planeRowBytes, p.height, p.width * spp, bits, signed);
    return spp === 1 ? [all] : deinterleave(all, spp, n);
  }
  if (p.planar) {
    const out: PixelArray[] = [];
    // Separate buffers per channel, so one plane can be transferred to a worker without detaching the others.
    for (let s = 0; s < spp; s++) out.push(viewSamples(raw.buffer, s * planeBytes, n, bits, p.sampleFormat).slice());
    return out;
  }
  const all = viewSamples(raw.buffer, 0, n * spp, bits, p.sampleFormat);
  return spp === 1 ? [all] : deinterleave(all, spp, n);
}

function deinterleave(all: PixelArray, spp: number, n: number): PixelArray[] {
  const Ctor = all.constructor as { new (len: number): PixelArray };
  const out: PixelArray[] = [];
  for (let s = 0; s < spp; s++) {
    const plane = new Ctor(n);
    for (let i = 0, j = s; i < n; i++, j += spp) plane[i] = all[j];
    out.push(plane);
  }
  return out;
}
