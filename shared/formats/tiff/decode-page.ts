import { RamifyError } from '../../result';
import type { PixelArray } from '../../image/types';
import { truncatedTiff, type TiffStructure } from './ifd';
import { inflateInto } from './inflate';
import { decodeJpegBlock } from './jpeg-block';
import { zstdInto } from './zstd';
import { lzwDecode } from './lzw-decode';
import { packbitsDecode } from './packbits';
import type { PageLayout } from './page';
import { undoFloatPredictor, undoHorizontalPredictor } from './predictor';
import { isDirectWidth, swapBytes, unpackBits, viewSamples } from './samples';
import { type PartialStats, type StatsKind, bytesStats, mergeStats } from '../../image/stats';

/** Upper bound of decoded/compressed size for each compression, so a lying header fails before any allocation. */
export function maxExpansion(compression: number): number {
  switch (compression) {
    case 1: return 1;
    case 32773: return 64; // a 2-byte run yields at most 128 bytes
    case 8: case 32946: return 1040; // zlib's limit is about 1032:1
    case 5: return 1400; // 12-bit codes whose strings grow by one byte each, about 1340:1 between ClearCodes
    case 50000: return 33000; // an RLE block: 4 bytes for up to 128 KiB
    case 6: case 7: return 1024; // an 8×8 block can take 2 bits (DC unchanged, end of block)
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
  let end = 0;
  let startsPastEnd = false;
  for (let i = 0; i < blocks; i++) {
    const off = p.offsets[i];
    const count = p.byteCounts[i];
    if (count === 0) continue;
    end = Math.max(end, off + count);
    if (off >= t.fileSize) startsPastEnd = true;
    available += Math.max(0, Math.min(count, t.fileSize - off));
  }
  // Image data that starts past the end of the file: the file was cut short.
  if (startsPastEnd) throw truncatedTiff(t.fileSize, end);
  const need = storedPageBytes(p);
  // A tile is decoded into a buffer of its full size, so a tiny image must not declare gigantic tiles.
  const tileBytes = storedRowBytes(p, p.blockWidth) * p.blockHeight;
  if (p.tiled && tileBytes > Math.max(4 * need, 1 << 22)) {
    throw new RamifyError('corrupt', `Corrupt TIFF (page ${p.index + 1}): tiles of ${p.blockWidth}×${p.blockHeight} pixels are implausible for a ${p.width}×${p.height} image.`);
  }
  // Tiles may extend past the image edge, so compare against the tile grid's size for uncompressed data.
  const gridBytes = p.tiled ? storedRowBytes(p, p.blockWidth) * p.blockHeight * blocks : need;
  const possible = available * maxExpansion(p.compression);
  if (possible < Math.min(need, gridBytes) && possible < need) {
    if (end > t.fileSize) throw truncatedTiff(t.fileSize, end);
    throw new RamifyError('corrupt', `Corrupt TIFF (page ${p.index + 1}): it claims ${p.width}×${p.height} pixels (${need} bytes) but holds only ${available} bytes of image data.`);
  }
}

/** Decodes one zlib (or raw Deflate) block into `dst`, returning bytes written; see DecodeOptions.inflate. */
export type InflateFn = (src: Uint8Array, dst: Uint8Array) => number;

/** What decoding one strip or tile needs, as plain data (so it can be posted to a worker). */
export interface BlockCodec {
  /** 0-based page index, for error messages. */
  page: number;
  compression: number;
  predictor: number;
  bitsPerSample: number;
  /** Byte order of the file's samples. */
  littleEndian: boolean;
  tiled: boolean;
  /** Block width in pixels (the image width for strips). */
  blockWidth: number;
  /** Samples per pixel within one block: 1 when planar. */
  blockSpp: number;
  /** JPEG only: the shared JPEGTables, whether the data is YCbCr (returned as RGB), and rows per strip or tile. */
  jpegTables?: Uint8Array;
  ycbcr?: boolean;
  blockHeight?: number;
}

export function blockCodec(t: TiffStructure, p: PageLayout): BlockCodec {
  return {
    page: p.index, compression: p.compression, predictor: p.predictor, bitsPerSample: p.bitsPerSample, littleEndian: t.littleEndian,
    tiled: p.tiled, blockWidth: p.blockWidth, blockSpp: p.planar ? 1 : p.samplesPerPixel,
    ...(p.compression === 7 || p.compression === 6 ? { jpegTables: p.jpegTables, ycbcr: p.photometric === 6, blockHeight: p.blockHeight } : {}),
  };
}

/** Decompresses one block into `dst` (which the caller zero-fills for tiles), returning bytes written. */
export function decompressBlock(c: BlockCodec, src: Uint8Array, dst: Uint8Array, inflate: InflateFn = inflateInto): number {
  switch (c.compression) {
    case 1: {
      const m = Math.min(src.length, dst.length);
      dst.set(src.subarray(0, m));
      return m;
    }
    case 5: return lzwDecode(src, dst);
    case 8: case 32946: return inflate(src, dst);
    case 32773: return packbitsDecode(src, dst);
    case 50000: return zstdInto(src, dst);
    case 6: case 7: return decodeJpegBlock(src, dst, { tables: c.jpegTables, ycbcr: c.ycbcr === true, spp: c.blockSpp, blockWidth: c.blockWidth, blockHeight: c.blockHeight ?? 0, repeatChroma: c.compression === 6 });
    default: throw new RamifyError('unsupported', `TIFF compression ${c.compression} is not supported.`);
  }
}

/**
 * After decompression: rejects short blocks, then brings direct-width samples to host byte order and undoes the
 * predictor in place. `b` is the 0-based block index, `rows` the rows decoded into `dst`.
 */
export function finishBlock(c: BlockCodec, b: number, got: number, dst: Uint8Array, rows: number): void {
  if (got < dst.length && !(c.tiled && got > 0)) {
    throw new RamifyError('corrupt', `Corrupt TIFF (page ${c.page + 1}): ${c.tiled ? 'tile' : 'strip'} ${b + 1} holds ${got} of ${dst.length} bytes (truncated or damaged file).`);
  }
  const bits = c.bitsPerSample;
  if (!isDirectWidth(bits)) return;
  const bytesPerSample = bits / 8;
  if (c.predictor === 3) undoFloatPredictor(dst, c.blockWidth, rows, c.blockSpp, bytesPerSample);
  else {
    if (bits > 8 && !c.littleEndian) swapBytes(dst, bytesPerSample);
    if (c.predictor === 2) undoHorizontalPredictor(dst, c.blockWidth, rows, c.blockSpp, bytesPerSample);
  }
}

/** Where block `b` of a page goes: its plane, grid position, first image row and the rows it holds. */
export function blockPlace(p: PageLayout, b: number): { plane: number; bx: number; y0: number; rows: number } {
  const perPlane = p.blocksAcross * p.blocksDown;
  const plane = p.planar ? Math.floor(b / perPlane) : 0;
  const within = b - plane * perPlane;
  const by = Math.floor(within / p.blocksAcross);
  const bx = within - by * p.blocksAcross;
  const y0 = by * p.blockHeight;
  return { plane, bx, y0, rows: p.tiled ? p.blockHeight : Math.min(p.blockHeight, p.height - y0) };
}

/** Decoded bytes of block `b`: a whole tile, or a strip's rows (the last strip may be shorter). */
export function blockDecodedBytes(p: PageLayout, b: number): number {
  return storedRowBytes(p, p.blockWidth) * blockPlace(p, b).rows;
}

/** Byte offset of block `b`'s first byte in the page's stored-order buffer (strips only; tiles are copied by row). */
export function stripOffsetInPage(p: PageLayout, b: number): number {
  const { plane, y0 } = blockPlace(p, b);
  return plane * storedRowBytes(p, p.width) * p.height + y0 * storedRowBytes(p, p.width);
}

/** Copies a decoded tile (`tile`, a whole tile in stored order) into the page buffer, clipping at the image edges. */
export function placeTile(p: PageLayout, b: number, tile: Uint8Array, raw: Uint8Array): void {
  const { plane, bx, y0, rows } = blockPlace(p, b);
  const blockSpp = p.planar ? 1 : p.samplesPerPixel;
  const bits = p.bitsPerSample;
  const blockRowBytes = storedRowBytes(p, p.blockWidth);
  const planeRowBytes = storedRowBytes(p, p.width);
  const planeBytes = planeRowBytes * p.height;
  const x0 = bx * p.blockWidth;
  const cols = Math.min(p.blockWidth, p.width - x0);
  const copyBytes = Math.ceil((cols * blockSpp * bits) / 8);
  const dstX = (x0 * blockSpp * bits) / 8; // tile widths are multiples of 16, so this is whole bytes
  for (let r = 0; r < rows && y0 + r < p.height; r++) {
    const d = plane * planeBytes + (y0 + r) * planeRowBytes + dstX;
    raw.set(tile.subarray(r * blockRowBytes, r * blockRowBytes + copyBytes), d);
  }
}

/** A zero-filled buffer for one page's samples in stored order (before bit unpacking / de-interleaving). */
export function allocatePageBuffer(p: PageLayout): Uint8Array<ArrayBuffer> {
  return new Uint8Array(storedPageBytes(p));
}

/** Blocks in a page (tiles or strips, times samples when planar). */
export function blockCount(p: PageLayout): number {
  return p.blocksAcross * p.blocksDown * (p.planar ? p.samplesPerPixel : 1);
}

/**
 * Decodes one page into one typed array per sample (RGB → 3), in host byte order, with min/max/sum of all samples
 * when they can be gathered strip by strip while each strip is still in cache (strips of ≤16-bit integers: exact,
 * and a separate pass over the page is saved); otherwise stats is null. `onBlock` is called after each strip or tile
 * so callers can report progress.
 */
export function decodePageWithStats(t: TiffStructure, p: PageLayout, onBlock?: () => void, inflate: InflateFn = inflateInto, withStats = true): { planes: PixelArray[]; stats: PartialStats | null } {
  const raw = allocatePageBuffer(p);
  const codec = blockCodec(t, p);
  const tileBuf = p.tiled ? new Uint8Array(storedRowBytes(p, p.blockWidth) * p.blockHeight) : null;
  const fileLen = t.fileSize;
  const blocks = blockCount(p);
  const statsKind = withStats ? stripStatsKind(p) : undefined;
  let stats: PartialStats | null = null;
  for (let b = 0; b < blocks; b++) {
    const off = p.offsets[b];
    const count = p.byteCounts[b];
    const { rows } = blockPlace(p, b);
    const at = tileBuf ? 0 : stripOffsetInPage(p, b);
    const dst = tileBuf ?? raw.subarray(at, at + blockDecodedBytes(p, b));
    if (count > 0) {
      if (off >= fileLen) throw truncatedTiff(fileLen, off + count);
      if (tileBuf) tileBuf.fill(0);
      const got = decompressBlock(codec, t.bytes.subarray(off, Math.min(off + count, fileLen)), dst, inflate);
      finishBlock(codec, b, got, dst, rows);
      if (tileBuf) placeTile(p, b, tileBuf, raw);
    }
    if (statsKind) stats = mergeStats(stats, bytesStats(statsKind, dst));
    onBlock?.();
  }
  return { planes: pagePlanes(p, raw), stats };
}

/** Sample type whose statistics strips can gather exactly (≤16-bit integers in strips), or undefined. */
export function stripStatsKind(p: PageLayout): StatsKind | undefined {
  if (p.tiled || p.sampleFormat === 'float' || (p.bitsPerSample !== 8 && p.bitsPerSample !== 16)) return undefined;
  return ((p.sampleFormat === 'int' ? 'int' : 'uint') + p.bitsPerSample) as StatsKind;
}

/** Turns a page's decoded stored-order bytes (host byte order) into one typed array per sample. */
export function pagePlanes(p: PageLayout, raw: Uint8Array<ArrayBuffer>): PixelArray[] {
  const spp = p.samplesPerPixel;
  const bits = p.bitsPerSample;
  const planeRowBytes = storedRowBytes(p, p.width);
  const planeBytes = planeRowBytes * p.height;
  const n = p.width * p.height;
  if (!isDirectWidth(bits)) {
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
