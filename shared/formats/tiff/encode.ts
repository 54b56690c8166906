import { zlibSync } from 'fflate';
import { RamifyError } from '../../result';
import type { PixelArray, SampleFormat } from '../../image/types';
import { lzwEncode } from './lzw-encode';
import { Tag } from './tags';

/** What `encodeTiff` writes: one single-sample page per plane, all planes the same size and type. */
export interface TiffEncodeOptions {
  width: number;
  height: number;
  /** One plane per page, row-major, width*height samples each. */
  planes: PixelArray[];
  bitsPerSample: 8 | 16 | 32 | 64;
  sampleFormat: SampleFormat;
  compression: 'none' | 'lzw' | 'deflate';
  /** Horizontal differencing before compression: predictor 2 for integers, 3 (floating point) for floats. */
  predictor?: boolean;
  /** ImageDescription of the first page (e.g. from `imagejDescription`). */
  imagejDescription?: string;
  /** Rows per strip; default keeps strips near 64 KiB. */
  rowsPerStrip?: number;
  /** Write square tiles of this many pixels (a multiple of 16, as TIFF requires) instead of strips. */
  tileSize?: number;
  /**
   * Pixels per unit, written as XResolution/YResolution and ResolutionUnit. ImageJ files with unit=micron use
   * 'none' (as ImageJ itself writes), so non-ImageJ readers do not mistake pixels per µm for pixels per cm.
   */
  resolution?: { x: number; y: number; unit: 'inch' | 'cm' | 'none' };
}

const TYPE_SHORT = 3;
const TYPE_LONG = 4;
const TYPE_RATIONAL = 5;
const TYPE_ASCII = 2;

interface Entry {
  tag: number;
  type: number;
  values: number[] | Uint8Array;
}

/** Writes a little-endian baseline multi-page TIFF. Inverse of the decoder for single-sample pages. */
export function encodeTiff(opts: TiffEncodeOptions): Uint8Array {
  const { width, height, planes, bitsPerSample, sampleFormat } = opts;
  const bytesPerSample = bitsPerSample / 8;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new RamifyError('invalid-argument', `Cannot write a ${width}×${height} TIFF.`);
  if (planes.length === 0) throw new RamifyError('invalid-argument', 'Cannot write a TIFF without planes.');
  if (sampleFormat === 'float' && bitsPerSample !== 32 && bitsPerSample !== 64) throw new RamifyError('invalid-argument', `Float samples must be 32 or 64 bits, not ${bitsPerSample}.`);
  for (const p of planes) {
    if (p.length !== width * height) throw new RamifyError('invalid-argument', `Plane has ${p.length} samples, expected ${width * height}.`);
    if (p.BYTES_PER_ELEMENT !== bytesPerSample) throw new RamifyError('invalid-argument', `Plane holds ${p.BYTES_PER_ELEMENT * 8}-bit samples, expected ${bitsPerSample}.`);
  }
  const rowBytes = width * bytesPerSample;
  const tile = opts.tileSize;
  if (tile !== undefined && (!Number.isInteger(tile) || tile < 16 || tile % 16 !== 0)) throw new RamifyError('invalid-argument', `TIFF tiles must be a positive multiple of 16 pixels, not ${tile}.`);
  const rowsPerStrip = Math.max(1, Math.min(height, opts.rowsPerStrip ?? Math.max(1, Math.floor(65536 / rowBytes))));
  const compressionCode = opts.compression === 'none' ? 1 : opts.compression === 'lzw' ? 5 : 8;
  const predictorCode = opts.predictor && opts.compression !== 'none' ? (sampleFormat === 'float' ? 3 : 2) : 1;
  const formatCode = sampleFormat === 'uint' ? 1 : sampleFormat === 'int' ? 2 : 3;

  const chunks: Uint8Array[] = [];
  let offset = 8;
  // Pixel data is contiguous with no padding: ImageJ (and tifffile for ImageJ files) read uncompressed stacks as one
  // block starting at the first strip, ignoring the later IFDs' offsets.
  const push = (bytes: Uint8Array): number => {
    const at = offset;
    chunks.push(bytes);
    offset += bytes.length;
    return at;
  };
  const header = new Uint8Array(8);
  const hv = new DataView(header.buffer);
  header[0] = 0x49;
  header[1] = 0x49;
  hv.setUint16(2, 42, true);
  chunks.push(header);
  const ifdOffsetFixups: Array<{ view: DataView; at: number }> = [{ view: hv, at: 4 }];

  const pageStrips = planes.map((plane) => {
    // Typed arrays are host-endian; every supported host is little-endian, which is what we write.
    const bytes = new Uint8Array(plane.buffer, plane.byteOffset, plane.byteLength);
    const stripOffsets: number[] = [];
    const stripCounts: number[] = [];
    const encodeBlock = (block: Uint8Array, blockWidth: number, rows: number) => {
      let b = block;
      if (predictorCode === 2) applyHorizontalPredictor(b, blockWidth, rows, bytesPerSample);
      else if (predictorCode === 3) b = applyFloatPredictor(b, blockWidth, rows, bytesPerSample);
      const encoded = compressionCode === 1 ? b : compressionCode === 5 ? lzwEncode(b) : zlibSync(b, { level: 6 });
      stripOffsets.push(push(encoded));
      stripCounts.push(encoded.length);
    };
    if (tile) {
      // Tiles are whole: those at the right and bottom edges are padded with zeros.
      const tileRowBytes = tile * bytesPerSample;
      for (let y0 = 0; y0 < height; y0 += tile) {
        for (let x0 = 0; x0 < width; x0 += tile) {
          const block = new Uint8Array(tileRowBytes * tile);
          const cols = Math.min(tile, width - x0) * bytesPerSample;
          for (let r = 0; r < tile && y0 + r < height; r++) block.set(bytes.subarray((y0 + r) * rowBytes + x0 * bytesPerSample, (y0 + r) * rowBytes + x0 * bytesPerSample + cols), r * tileRowBytes);
          encodeBlock(block, tile, tile);
        }
      }
    } else {
      for (let y0 = 0; y0 < height; y0 += rowsPerStrip) {
        const rows = Math.min(rowsPerStrip, height - y0);
        encodeBlock(bytes.slice(y0 * rowBytes, (y0 + rows) * rowBytes), width, rows);
      }
    }
    return { stripOffsets, stripCounts };
  });
  if (offset & 1) push(new Uint8Array(1)); // IFDs start on a word boundary

  pageStrips.forEach(({ stripOffsets, stripCounts }, pageIndex) => {
    const entries: Entry[] = [
      { tag: Tag.NewSubfileType, type: TYPE_LONG, values: [0] },
      { tag: Tag.ImageWidth, type: TYPE_LONG, values: [width] },
      { tag: Tag.ImageLength, type: TYPE_LONG, values: [height] },
      { tag: Tag.BitsPerSample, type: TYPE_SHORT, values: [bitsPerSample] },
      { tag: Tag.Compression, type: TYPE_SHORT, values: [compressionCode] },
      { tag: Tag.PhotometricInterpretation, type: TYPE_SHORT, values: [1] },
    ];
    if (pageIndex === 0 && opts.imagejDescription) entries.push({ tag: Tag.ImageDescription, type: TYPE_ASCII, values: asciiz(opts.imagejDescription) });
    if (tile) entries.push({ tag: Tag.SamplesPerPixel, type: TYPE_SHORT, values: [1] });
    else {
      entries.push(
        { tag: Tag.StripOffsets, type: TYPE_LONG, values: stripOffsets },
        { tag: Tag.SamplesPerPixel, type: TYPE_SHORT, values: [1] },
        { tag: Tag.RowsPerStrip, type: TYPE_LONG, values: [rowsPerStrip] },
        { tag: Tag.StripByteCounts, type: TYPE_LONG, values: stripCounts },
      );
    }
    if (opts.resolution) {
      entries.push(
        { tag: Tag.XResolution, type: TYPE_RATIONAL, values: rational(opts.resolution.x) },
        { tag: Tag.YResolution, type: TYPE_RATIONAL, values: rational(opts.resolution.y) },
        { tag: Tag.PlanarConfiguration, type: TYPE_SHORT, values: [1] },
        { tag: Tag.ResolutionUnit, type: TYPE_SHORT, values: [opts.resolution.unit === 'inch' ? 2 : opts.resolution.unit === 'cm' ? 3 : 1] },
      );
    } else entries.push({ tag: Tag.PlanarConfiguration, type: TYPE_SHORT, values: [1] });
    if (predictorCode !== 1) entries.push({ tag: Tag.Predictor, type: TYPE_SHORT, values: [predictorCode] });
    if (tile) {
      entries.push(
        { tag: Tag.TileWidth, type: TYPE_LONG, values: [tile] },
        { tag: Tag.TileLength, type: TYPE_LONG, values: [tile] },
        { tag: Tag.TileOffsets, type: TYPE_LONG, values: stripOffsets },
        { tag: Tag.TileByteCounts, type: TYPE_LONG, values: stripCounts },
      );
    }
    entries.push({ tag: Tag.SampleFormat, type: TYPE_SHORT, values: [formatCode] });

    const ifdAt = offset;
    const ifdSize = 2 + entries.length * 12 + 4;
    let extraAt = ifdAt + ifdSize;
    const extras: Uint8Array[] = [];
    const ifd = new Uint8Array(ifdSize);
    const v = new DataView(ifd.buffer);
    v.setUint16(0, entries.length, true);
    entries.forEach((e, i) => {
      const p = 2 + i * 12;
      const size = e.type === TYPE_SHORT ? 2 : e.type === TYPE_ASCII ? 1 : e.type === TYPE_RATIONAL ? 8 : 4;
      const count = e.type === TYPE_RATIONAL ? e.values.length / 2 : e.values.length;
      v.setUint16(p, e.tag, true);
      v.setUint16(p + 2, e.type, true);
      v.setUint32(p + 4, count, true);
      const total = size * count;
      const data = new Uint8Array(total);
      const dv = new DataView(data.buffer);
      for (let k = 0; k < e.values.length; k++) {
        if (e.type === TYPE_SHORT) dv.setUint16(k * 2, e.values[k], true);
        else if (e.type === TYPE_ASCII) data[k] = e.values[k];
        else dv.setUint32(k * 4, e.values[k], true);
      }
      if (total <= 4) ifd.set(data, p + 8);
      else {
        v.setUint32(p + 8, extraAt, true);
        extras.push(data);
        extraAt += total + (total & 1);
        if (total & 1) extras.push(new Uint8Array(1));
      }
    });
    for (const f of ifdOffsetFixups) f.view.setUint32(f.at, ifdAt, true);
    ifdOffsetFixups.length = 0;
    ifdOffsetFixups.push({ view: v, at: ifdSize - 4 });
    chunks.push(ifd);
    offset += ifdSize;
    for (const x of extras) {
      chunks.push(x);
      offset += x.length;
    }
    if (offset > 0xffffffff) throw new RamifyError('too-large', 'TIFF would exceed 4 GiB; classic TIFF cannot address it.');
  });

  const out = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function asciiz(s: string): Uint8Array {
  const bytes = new TextEncoder().encode(s);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}

/** A positive number as numerator/denominator with 6 significant decimals kept. */
function rational(x: number): number[] {
  if (!(x > 0) || !Number.isFinite(x)) return [0, 1];
  let den = 1;
  while (den < 1_000_000 && Math.abs(Math.round(x * den) - x * den) > 1e-9 * x * den && x * den * 10 < 0xffffffff) den *= 10;
  return [Math.min(0xffffffff, Math.round(x * den)), den];
}

/** Predictor 2: each sample becomes its difference from the sample to its left, per row, in sample-sized units. */
function applyHorizontalPredictor(strip: Uint8Array, width: number, rows: number, bytesPerSample: number): void {
  const n = width * rows;
  const arr = bytesPerSample === 1 ? strip : bytesPerSample === 2 ? new Uint16Array(strip.buffer, strip.byteOffset, n) : bytesPerSample === 4 ? new Uint32Array(strip.buffer, strip.byteOffset, n) : null;
  if (!arr) throw new RamifyError('invalid-argument', `Horizontal predictor is not defined for ${bytesPerSample * 8}-bit integers.`);
  for (let y = 0; y < rows; y++) {
    const row = y * width;
    for (let x = width - 1; x > 0; x--) arr[row + x] = arr[row + x] - arr[row + x - 1];
  }
}

/** Predictor 3: bytes of each row regrouped most-significant first (big-endian planes), then byte-differenced. */
function applyFloatPredictor(strip: Uint8Array, width: number, rows: number, bytesPerSample: number): Uint8Array {
  const out = new Uint8Array(strip.length);
  const rowBytes = width * bytesPerSample;
  for (let y = 0; y < rows; y++) {
    const base = y * rowBytes;
    for (let x = 0; x < width; x++) {
      for (let b = 0; b < bytesPerSample; b++) {
        // Little-endian host: byte (bytesPerSample-1-b) is the b-th most significant.
        out[base + b * width + x] = strip[base + x * bytesPerSample + (bytesPerSample - 1 - b)];
      }
    }
    for (let i = rowBytes - 1; i > 0; i--) out[base + i] = (out[base + i] - out[base + i - 1]) & 0xff;
  }
  return out;
}
