import { parseTiffStructure, tagNumbers } from '../formats/tiff/ifd';

/**
 * ImageJ ROIs embedded in a TIFF: ImageJ writes its metadata into private tags 50838 (byte counts of each block) and
 * 50839 (the blocks: a header "IJIJ" + (type, count) pairs, then the blocks in that order). A "roi " block holds one
 * ROI in ImageJ's binary .roi format ("Iout", version, type, bounds, then for a line x1, y1, x2, y2 as floats).
 */

/** A straight-line ROI in document px (ImageJ's pixel coordinates: pixel i spans [i, i + 1)). */
export interface ImagejLineRoi {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Any other ROI: its ImageJ type code and bounding box in px. */
export interface ImagejOtherRoi {
  kind: 'other';
  type: number;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export type ImagejRoi = ImagejLineRoi | ImagejOtherRoi;

const META_COUNTS = 50838;
const META_DATA = 50839;
const ROI_TYPE = 0x726f6920; // 'roi '
const LINE = 3;

/** The ROI stored in the first page's ImageJ metadata, or null when there is none (or the TIFF has no such tags). */
export function readImagejRoi(bytes: Uint8Array): ImagejRoi | null {
  const t = parseTiffStructure(bytes, 1);
  const ifd = t.ifds[0];
  const counts = tagNumbers(t, ifd, META_COUNTS);
  const entry = ifd?.entries.get(META_DATA);
  if (!counts || !entry || counts.length < 1) return null;
  const base = entry.dataOffset;
  const end = base + entry.count;
  if (end > bytes.length || counts[0] < 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The header is big-endian whatever the TIFF's byte order (ImageJ writes it with a DataOutputStream).
  if (view.getUint32(base, false) !== 0x494a494a) return null;
  const types: number[] = [];
  for (let p = base + 4; p + 8 <= base + counts[0]; p += 8) {
    const type = view.getUint32(p, false);
    const n = view.getUint32(p + 4, false);
    for (let k = 0; k < n; k++) types.push(type);
  }
  let offset = base + counts[0];
  for (let k = 0; k < types.length && k + 1 < counts.length; k++) {
    const size = counts[k + 1];
    if (types[k] === ROI_TYPE && offset + 34 <= end) return parseRoi(view, offset);
    offset += size;
  }
  return null;
}

function parseRoi(view: DataView, p: number): ImagejRoi | null {
  if (view.getUint32(p, false) !== 0x496f7574) return null; // 'Iout'
  const type = view.getUint8(p + 6);
  const top = view.getInt16(p + 8, false);
  const left = view.getInt16(p + 10, false);
  const bottom = view.getInt16(p + 12, false);
  const right = view.getInt16(p + 14, false);
  if (type === LINE) {
    return { kind: 'line', x1: view.getFloat32(p + 18, false), y1: view.getFloat32(p + 22, false), x2: view.getFloat32(p + 26, false), y2: view.getFloat32(p + 30, false) };
  }
  return { kind: 'other', type, left, top, right, bottom };
}
