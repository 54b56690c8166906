import { parseTiffStructure } from '../formats/tiff/ifd';
import { IMAGEJ_BLOCK, imagejBlocks } from './imagej-metadata';

/**
 * ImageJ ROIs embedded in a TIFF's ImageJ metadata (imagej-metadata.ts): a "roi " block holds one ROI in ImageJ's
 * binary .roi format, big-endian ("Iout", version, type, bounds, then for a line x1, y1, x2, y2 as floats).
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

const LINE = 3;

/** The ROI stored in the first page's ImageJ metadata, or null when there is none (or the TIFF has no such tags). */
export function readImagejRoi(bytes: Uint8Array): ImagejRoi | null {
  const t = parseTiffStructure(bytes, 1);
  const block = imagejBlocks(t, t.ifds[0]).find((b) => b.type === IMAGEJ_BLOCK.roi && b.data.byteLength >= 34);
  return block ? parseRoi(block.data) : null;
}

function parseRoi(view: DataView): ImagejRoi | null {
  const p = 0;
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
