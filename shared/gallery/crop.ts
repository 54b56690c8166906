import type { PixelRect } from '../display/resample';
import type { Neuron } from '../model/document';
import { branchPolyline } from '../model/queries';

/** The image pixels a tile shows. */
export type CropRect = PixelRect;

/** The extent of everything drawn for a neuron (soma, stem, nodes) in image px; null for a neuron with nothing. */
export function neuronBounds(neuron: Neuron): { minX: number; minY: number; maxX: number; maxY: number } | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const add = (x: number, y: number, r = 0) => {
    minX = Math.min(minX, x - r);
    minY = Math.min(minY, y - r);
    maxX = Math.max(maxX, x + r);
    maxY = Math.max(maxY, y + r);
  };
  const soma = neuron.soma;
  if (soma?.kind === 'point') add(soma.x, soma.y, soma.r ?? 0);
  if (soma?.kind === 'polygon') for (const p of soma.points) add(p.x, p.y);
  for (const b of neuron.branches) for (const n of branchPolyline(neuron, b)) add(n.x, n.y);
  return minX <= maxX ? { minX, minY, maxX, maxY } : null;
}

/** Margin around the neuron: a tenth of its larger side, at least this many px. */
export const MIN_CROP_MARGIN_PX = 8;

/**
 * The square of image pixels a neuron's tile shows: its bounding box plus a margin on every side, centred on the
 * box and moved (not shrunk) to stay inside the image; only a square larger than the image is cut to the image.
 * A tile of a neuron with nothing drawn shows the whole image.
 */
export function neuronCrop(neuron: Neuron, imageWidth: number, imageHeight: number): CropRect {
  const box = neuronBounds(neuron);
  if (!box) return { x: 0, y: 0, width: imageWidth, height: imageHeight };
  const extent = Math.max(box.maxX - box.minX, box.maxY - box.minY);
  const side = Math.ceil(extent + 2 * Math.max(MIN_CROP_MARGIN_PX, 0.1 * extent));
  const axis = (lo: number, hi: number, size: number): [number, number] => {
    const len = Math.min(side, size);
    const start = Math.round((lo + hi) / 2 - len / 2);
    return [Math.max(0, Math.min(size - len, start)), len];
  };
  const [x, width] = axis(box.minX, box.maxX, imageWidth);
  const [y, height] = axis(box.minY, box.maxY, imageHeight);
  return { x, y, width, height };
}

/** Tile size in px for a crop: the longer side becomes `size`, the other keeps the crop's proportions. */
export function tileSize(crop: CropRect, size: number): { width: number; height: number; scale: number } {
  const scale = size / Math.max(crop.width, crop.height);
  return { width: Math.max(1, Math.round(crop.width * scale)), height: Math.max(1, Math.round(crop.height * scale)), scale };
}
