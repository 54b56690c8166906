import { RamifyError } from '../result';
import type { CostImage } from './cost-image';

/**
 * The lowest-cost pixel within `radius` px (a disc) of the image-px point (x, y), as its pixel centre; ties keep the
 * pixel nearest the cursor. Points outside the image are clamped first. Lets a click land on the neurite centre.
 */
export function snapToRidge(cost: CostImage, x: number, y: number, radius = 3): [number, number] {
  if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RamifyError('invalid-argument', `Point (${x}, ${y}) is not a position in the image.`);
  const { width: w, height: h, data } = cost;
  const cx = Math.min(w - 1, Math.max(0, Math.floor(x)));
  const cy = Math.min(h - 1, Math.max(0, Math.floor(y)));
  const r = Math.max(0, Math.floor(radius));
  let best = cx + w * cy;
  let bestCost = data[best];
  let bestD2 = 0;
  for (let dy = -r; dy <= r; dy++) {
    const py = cy + dy;
    if (py < 0 || py >= h) continue;
    for (let dx = -r; dx <= r; dx++) {
      const px = cx + dx;
      const d2 = dx * dx + dy * dy;
      if (px < 0 || px >= w || d2 > r * r) continue;
      const c = data[px + w * py];
      if (c < bestCost || (c === bestCost && d2 < bestD2)) {
        best = px + w * py;
        bestCost = c;
        bestD2 = d2;
      }
    }
  }
  return [(best % w) + 0.5, Math.floor(best / w) + 0.5];
}
