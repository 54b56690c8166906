/**
 * The plane a newly opened image shows first. A z-stack's first slice is usually above the cell (nearly empty), so a
 * stack opens on its middle slice; a thin stack (≤ THIN_STACK slices, e.g. 3 optical sections of one cell) opens on
 * its maximum-intensity projection, where every part of the cell is in view. The display range is then taken from
 * that plane, so it shows what is on screen.
 */
export const THIN_STACK = 4;

export function openingPlane(slices: number): { z: number; mip: boolean } {
  if (slices <= 1) return { z: 0, mip: false };
  if (slices <= THIN_STACK) return { z: Math.floor((slices - 1) / 2), mip: true };
  return { z: Math.floor((slices - 1) / 2), mip: false };
}
