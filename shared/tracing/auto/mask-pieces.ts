import { forEachNeighbour } from './min-heap';

/**
 * The 8-connected pieces of a mask (its px with mask ≠ 0), in the order their first px comes in the image, each a list
 * of px indices from that px outwards; `label` gives each px its piece's index, −1 off the mask.
 */
export function maskPieces(mask: Uint8Array, width: number, height: number): { label: Int32Array; pieces: number[][] } {
  const label = new Int32Array(width * height).fill(-1);
  const pieces: number[][] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i] || label[i] >= 0) continue;
    const piece = [i];
    label[i] = pieces.length;
    for (let k = 0; k < piece.length; k++) {
      forEachNeighbour(piece[k], width, height, (q) => {
        if (mask[q] && label[q] < 0) {
          label[q] = pieces.length;
          piece.push(q);
        }
      });
    }
    pieces.push(piece);
  }
  return { label, pieces };
}
