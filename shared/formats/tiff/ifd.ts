import { RamifyError } from '../../result';
import { TYPE_SIZE } from './tags';

/** Where one tag's values live in the file; values are read on demand so huge offset arrays cost nothing until used. */
export interface IfdEntry {
  type: number;
  count: number;
  /** Absolute byte offset of the first value (inline values point into the IFD itself). */
  dataOffset: number;
}

/** One image file directory: its file offset and tag table. */
export interface Ifd {
  offset: number;
  entries: Map<number, IfdEntry>;
}

/** The parsed structure of a TIFF or BigTIFF file. */
export interface TiffStructure {
  /**
   * The whole file, or (structure read by ranges, see ranged-structure.ts) only its IFDs and tag values laid end to
   * end, with every IfdEntry.dataOffset pointing into them; pixel data is then read from the file by offset.
   */
  bytes: Uint8Array;
  /** Length of the file in bytes (bytes.length unless the structure was read by ranges). */
  fileSize: number;
  view: DataView;
  littleEndian: boolean;
  bigTiff: boolean;
  ifds: Ifd[];
}

/** A file with more pages than this is treated as corrupt (ImageJ's own limit is far lower in practice). */
export const MAX_IFDS = 1_000_000;

export function isTiff(b: Uint8Array): boolean {
  return b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42) || (b[0] === 0x49 && b[1] === 0x49 && b[2] === 43 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 43));
}

export const corrupt = (why: string) => new RamifyError('corrupt', `Corrupt TIFF: ${why}.`);

/**
 * The file ends before data its own structure points to: it was cut short (a copy or download that stopped), not
 * damaged inside. `need` is the least length the structure read so far requires.
 */
export const truncatedTiff = (len: number, need: number) =>
  new RamifyError('corrupt', `The TIFF file is incomplete (truncated: ${len} bytes of at least ${need}). Copy or download it again.`);

/** Byte order, BigTIFF or not, and the first IFD's offset, from a file's first 16 bytes (`head`) and its length. */
export function readTiffHeaderBytes(head: Uint8Array, len: number): { littleEndian: boolean; bigTiff: boolean; first: number } {
  if (len < 8) throw corrupt(`the file is only ${len} bytes long`);
  if (!isTiff(head)) throw new RamifyError('unsupported-format', 'Not a TIFF file (bad header).');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const littleEndian = head[0] === 0x49;
  const bigTiff = view.getUint16(2, littleEndian) === 43;
  if (!bigTiff) return { littleEndian, bigTiff, first: view.getUint32(4, littleEndian) };
  if (len < 16) throw corrupt('the BigTIFF header is truncated');
  if (view.getUint16(4, littleEndian) !== 8) throw corrupt('BigTIFF offset size is not 8');
  return { littleEndian, bigTiff, first: readU64(view, 8, littleEndian) };
}

/** Reads the header and walks the IFD chain; rejects loops, out-of-file offsets and impossible tag sizes. */
export function parseTiffStructure(bytes: Uint8Array, maxIfds = MAX_IFDS): TiffStructure {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const { littleEndian, bigTiff, first } = readTiffHeaderBytes(bytes, bytes.length);
  const len = bytes.length;

  const ifds: Ifd[] = [];
  const seen = new Set<number>();
  let at = first;
  const entrySize = bigTiff ? 20 : 12;
  const countSize = bigTiff ? 8 : 2;
  const inlineSize = bigTiff ? 8 : 4;
  while (at !== 0) {
    if (seen.has(at)) break; // a loop in the chain: keep the pages read so far, as libtiff does
    if (at + countSize > len || at < 8) {
      if (ifds.length === 0) {
        if (at < 8) throw corrupt(`the first IFD offset ${at} points into the header`);
        // A copy or download that stopped leaves a good part of the file; an offset a thousand times past the end
        // is rather bytes that are not a TIFF at all after a TIFF signature.
        if (len * 1000 >= at + countSize) throw truncatedTiff(len, at + countSize);
        throw corrupt(`the first IFD offset ${at} lies far outside the ${len}-byte file; this is not a TIFF image`);
      }
      break; // a dangling next-IFD pointer after valid pages: tolerate, as libtiff does
    }
    if (ifds.length >= maxIfds) throw corrupt(`more than ${maxIfds} pages`);
    seen.add(at);
    const n = bigTiff ? readU64(view, at, littleEndian) : view.getUint16(at, littleEndian);
    const tableEnd = at + countSize + n * entrySize;
    if (tableEnd > len) {
      if (ifds.length === 0) throw truncatedTiff(len, tableEnd);
      break;
    }
    const entries = new Map<number, IfdEntry>();
    for (let i = 0; i < n; i++) {
      const e = at + countSize + i * entrySize;
      const tag = view.getUint16(e, littleEndian);
      const type = view.getUint16(e + 2, littleEndian);
      const count = bigTiff ? readU64(view, e + 4, littleEndian) : view.getUint32(e + 4, littleEndian);
      const size = TYPE_SIZE[type] ?? 0;
      if (size === 0) continue; // unknown type: skip the tag, as the spec says readers should
      const total = size * count;
      const valueAt = e + 4 + (bigTiff ? 8 : 4);
      const dataOffset = total <= inlineSize ? valueAt : bigTiff ? readU64(view, valueAt, littleEndian) : view.getUint32(valueAt, littleEndian);
      if (dataOffset + total > len) {
        // Tags we do not need may be broken without harm; the image tags are checked again where they are used.
        entries.set(tag, { type, count: -1, dataOffset });
        continue;
      }
      entries.set(tag, { type, count, dataOffset });
    }
    ifds.push({ offset: at, entries });
    at = bigTiff ? readU64(view, tableEnd, littleEndian) : tableEnd + 4 <= len ? view.getUint32(tableEnd, littleEndian) : 0;
  }
  if (ifds.length === 0) throw corrupt('it contains no image directory');
  return { bytes, fileSize: bytes.length, view, littleEndian, bigTiff, ifds };
}

export function readU64(view: DataView, at: number, le: boolean): number {
  const lo = view.getUint32(at + (le ? 0 : 4), le);
  const hi = view.getUint32(at + (le ? 4 : 0), le);
  // Offsets beyond 2^53 cannot be in any file we can hold; make them fail the bounds checks.
  return hi >= 0x200000 ? Number.MAX_SAFE_INTEGER : hi * 0x100000000 + lo;
}

/** All values of a numeric tag (rationals as quotients), or undefined when absent; throws if the tag is unreadable. */
export function tagNumbers(t: TiffStructure, ifd: Ifd, tag: number): number[] | undefined {
  const e = ifd.entries.get(tag);
  if (!e) return undefined;
  if (e.count < 0) throw corrupt(`tag ${tag} points past the end of the file`);
  const { view, littleEndian: le } = t;
  const out = new Array<number>(e.count);
  let p = e.dataOffset;
  for (let i = 0; i < e.count; i++) {
    switch (e.type) {
      case 1: case 2: case 7: out[i] = view.getUint8(p); p += 1; break;
      case 6: out[i] = view.getInt8(p); p += 1; break;
      case 3: out[i] = view.getUint16(p, le); p += 2; break;
      case 8: out[i] = view.getInt16(p, le); p += 2; break;
      case 4: case 13: out[i] = view.getUint32(p, le); p += 4; break;
      case 9: out[i] = view.getInt32(p, le); p += 4; break;
      case 5: { const d = view.getUint32(p + 4, le); out[i] = d === 0 ? 0 : view.getUint32(p, le) / d; p += 8; break; }
      case 10: { const d = view.getInt32(p + 4, le); out[i] = d === 0 ? 0 : view.getInt32(p, le) / d; p += 8; break; }
      case 11: out[i] = view.getFloat32(p, le); p += 4; break;
      case 12: out[i] = view.getFloat64(p, le); p += 8; break;
      case 16: case 18: out[i] = readU64(view, p, le); p += 8; break;
      case 17: out[i] = Number(view.getBigInt64(p, le)); p += 8; break;
      default: return undefined;
    }
  }
  return out;
}

/** Denominator of the first value of a RATIONAL tag (its precision), or undefined for other types or when absent. */
export function rationalDenominator(t: TiffStructure, ifd: Ifd, tag: number): number | undefined {
  const e = ifd.entries.get(tag);
  if (!e || e.count < 1 || e.type !== 5) return undefined;
  return t.view.getUint32(e.dataOffset + 4, t.littleEndian);
}

export function tagNumber(t: TiffStructure, ifd: Ifd, tag: number, fallback: number): number {
  const v = tagNumbers(t, ifd, tag);
  return v && v.length > 0 ? v[0] : fallback;
}

/** An ASCII (or UTF-8, as ImageJ and OME writers use) tag up to its first NUL; undefined when absent or unreadable. */
export function tagString(t: TiffStructure, ifd: Ifd, tag: number): string | undefined {
  const e = ifd.entries.get(tag);
  if (!e || e.count < 0 || (e.type !== 2 && e.type !== 1 && e.type !== 7)) return undefined;
  let raw = t.bytes.subarray(e.dataOffset, e.dataOffset + e.count);
  const nul = raw.indexOf(0);
  if (nul >= 0) raw = raw.subarray(0, nul);
  return new TextDecoder('utf-8').decode(raw);
}
