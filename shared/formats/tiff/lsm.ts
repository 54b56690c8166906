import type { Ifd, TiffStructure } from './ifd';
import { Tag, TYPE_SIZE } from './tags';
import { rgbHex } from '../../image/types';

/**
 * A Zeiss LSM file (what Zeiss AIM and ZEN 2009 save from the LSM confocals) is a little-endian TIFF: each image
 * plane an IFD holding the channels as samples, each followed by a thumbnail IFD (NewSubfileType 1, skipped as any
 * reduced copy), and the first IFD's CZ_LSMINFO record (tag 34412) giving the dimensions and the voxel size in
 * metres. Layout as the LSM 5 specification and tifffile's reader (TiffFile._series_lsm, read_cz_lsminfo) describe
 * it. Two faults of Zeiss's writers need nothing here: Predictor 2 on uncompressed strips (ignored for every TIFF),
 * and StripByteCounts giving LZW strips' uncompressed sizes (a strip is read up to its End Of Information code, and
 * a count running past the end of the file is cut there).
 */
export interface LsmInfo {
  sizeZ: number;
  sizeT: number;
  /** µm per voxel (the record stores metres); 0 where it says nothing. */
  voxel: { x: number; y: number; z: number };
  /**
   * Each channel's colour as ZEN shows it ('#rrggbb', from the ChannelColors block), when the file was read whole:
   * the block lies outside the tags, which is all a structure read by ranges holds.
   */
  colors?: string[];
}

/** CZ_LSMINFO's two magic numbers (the record's first field). */
const MAGIC = new Set([0x0300494c, 0x0400494c]);
/** Bytes of the record up to and including VoxelSizeZ, all that placing and calibrating the planes needs. */
const READ_BYTES = 64;
/** Where the record holds the file offset of its ChannelColors block (4 bytes). */
const OFFSET_CHANNEL_COLORS = 108;

/** The first IFD's CZ_LSMINFO record, or null when the file is no LSM (or the record is unreadable). */
export function readLsmInfo(t: TiffStructure, first: Ifd): LsmInfo | null {
  const e = first.entries.get(Tag.CzLsmInfo);
  // Zeiss declares the record as bytes; its size is read in bytes whatever the type, as tifffile reads it.
  if (!e) return null;
  const length = Math.min(e.count * (TYPE_SIZE[e.type] ?? 0), t.bytes.length - e.dataOffset);
  if (length < READ_BYTES || !t.littleEndian) return null;
  const v = new DataView(t.bytes.buffer, t.bytes.byteOffset + e.dataOffset, length);
  if (!MAGIC.has(v.getUint32(0, true))) return null;
  const size = (at: number) => Math.max(1, v.getInt32(at, true));
  const metres = (at: number) => {
    const m = v.getFloat64(at, true);
    return Number.isFinite(m) && m > 0 ? m * 1e6 : 0;
  };
  return {
    sizeZ: size(16),
    sizeT: size(24),
    voxel: { x: metres(40), y: metres(48), z: metres(56) },
    colors: t.fileSize === t.bytes.length && length >= OFFSET_CHANNEL_COLORS + 4 ? channelColors(t.bytes, v.getUint32(OFFSET_CHANNEL_COLORS, true)) : undefined,
  };
}

/** The ChannelColors block at `at`: its size, colour count, name count, colours' and names' offsets, then RGBA each. */
function channelColors(bytes: Uint8Array, at: number): string[] | undefined {
  if (at < 8 || at + 24 > bytes.length) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset + at, 24);
  const count = v.getUint32(4, true);
  const colorsAt = at + v.getUint32(12, true);
  if (count < 1 || count > 64 || colorsAt + 4 * count > bytes.length) return undefined;
  return Array.from({ length: count }, (_, c) => rgbHex(Array.from(bytes.subarray(colorsAt + 4 * c, colorsAt + 4 * c + 3))));
}
