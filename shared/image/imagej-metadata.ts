import { type Ifd, type TiffStructure, tagNumbers } from '../formats/tiff/ifd';
import { rgbHex } from './types';

/**
 * ImageJ's own metadata in a TIFF: private tags 50838 (the byte count of each block) and 50839 (the blocks: a header
 * "IJIJ" + (type, count) pairs, then the blocks in that order). The header says the blocks' byte order: "IJIJ"
 * big-endian, as ImageJ writes it, "JIJI" little-endian (as tifffile reads it).
 */

const META_COUNTS = 50838;
const META_DATA = 50839;

export const IMAGEJ_BLOCK = {
  /** Display range of every channel: min, max as doubles, channel after channel. */
  ranges: 0x72616e67, // 'rang'
  /** One lookup table per channel: 256 reds, 256 greens, 256 blues. */
  luts: 0x6c757473, // 'luts'
  roi: 0x726f6920, // 'roi '
} as const;

export interface ImagejBlock {
  type: number;
  /** The block's bytes. */
  data: DataView;
  littleEndian: boolean;
}

/** The ImageJ metadata blocks of a page, in file order; empty when it has none or they are unreadable. */
export function imagejBlocks(t: TiffStructure, ifd: Ifd): ImagejBlock[] {
  const counts = tagNumbers(t, ifd, META_COUNTS);
  const entry = ifd.entries.get(META_DATA);
  if (!counts || counts.length < 1 || !entry || entry.count < 4 || entry.dataOffset + entry.count > t.bytes.length) return [];
  // The counts are the file's word: each must be a whole number of bytes within the blocks' tag.
  if (!counts.every((n) => Number.isInteger(n) && n >= 0) || counts[0] < 4 || counts[0] > entry.count) return [];
  const base = entry.dataOffset;
  const end = base + entry.count;
  const view = new DataView(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength);
  const magic = view.getUint32(base, false);
  if (magic !== 0x494a494a && magic !== 0x4a494a49) return [];
  const le = magic === 0x4a494a49;
  const types: number[] = [];
  for (let p = base + 4; p + 8 <= base + counts[0]; p += 8) {
    const type = view.getUint32(p, le);
    const n = view.getUint32(p + 4, le);
    for (let k = 0; k < n && types.length < counts.length - 1; k++) types.push(type);
  }
  const blocks: ImagejBlock[] = [];
  let offset = base + counts[0];
  for (let k = 0; k < types.length; k++) {
    const size = counts[k + 1];
    if (offset + size > end) break;
    blocks.push({ type: types[k], data: new DataView(t.bytes.buffer, t.bytes.byteOffset + offset, size), littleEndian: le });
    offset += size;
  }
  return blocks;
}

/** What ImageJ saved of a composite's display: each channel's range and the colour its lookup table ends in. */
export interface ImagejDisplay {
  ranges?: Array<{ min: number; max: number }>;
  /** '#rrggbb' of each channel's LUT at its top entry (a linear LUT's colour: red, green, …). */
  colors?: string[];
}

/** The display ImageJ saved for `channels` channels, each part only when it covers every channel. */
export function imagejDisplay(blocks: readonly ImagejBlock[], channels: number): ImagejDisplay {
  const out: ImagejDisplay = {};
  const ranges = blocks.find((b) => b.type === IMAGEJ_BLOCK.ranges);
  if (ranges && ranges.data.byteLength >= 16 * channels) {
    const r = Array.from({ length: channels }, (_, c) => ({ min: ranges.data.getFloat64(16 * c, ranges.littleEndian), max: ranges.data.getFloat64(16 * c + 8, ranges.littleEndian) }));
    if (r.every((x) => Number.isFinite(x.min) && Number.isFinite(x.max) && x.max > x.min)) out.ranges = r;
  }
  const luts = blocks.filter((b) => b.type === IMAGEJ_BLOCK.luts && b.data.byteLength === 768);
  if (luts.length === channels) {
    out.colors = luts.map((l) => rgbHex([l.data.getUint8(255), l.data.getUint8(511), l.data.getUint8(767)]));
  }
  return out;
}
