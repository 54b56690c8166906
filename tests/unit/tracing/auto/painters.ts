import type { SignalPlane } from '../../../../shared/tracing/auto/signal';

/** Paints a pixel of a test image (out-of-range pixels are the painter's caller's concern). */
export type SetPixel = (x: number, y: number) => void;

/** Every pixel whose index lies within r of (cx, cy). */
export const disk = (set: SetPixel, cx: number, cy: number, r: number) => {
  for (let y = Math.floor(cy - r); y <= cy + r; y++) for (let x = Math.floor(cx - r); x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y);
};

/** A horizontal band of rows y0…y1 from x0 to x1. */
export const band = (set: SetPixel, x0: number, x1: number, y0: number, y1: number) => {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) set(x, y);
};

/**
 * A plane of 10 + 100 · shape(x + 0.5, y + 0.5) (pixel centres) plus uniform noise ±2 from a fixed LCG, so that the
 * robust thresholds see a background; the same pixels on every run.
 */
export function noisyPlane(width: number, height: number, shape: (x: number, y: number) => number): SignalPlane {
  const data = new Float32Array(width * height);
  let state = 12345;
  const noise = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 4;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[x + width * y] = 10 + 100 * shape(x + 0.5, y + 0.5) + noise();
  return { width, height, data, inverted: false, binary: false };
}

/**
 * SWC of a soma (r 6 at (50, 100)), a 194 px dendrite 2 px in radius running right from it along y = 100, and an
 * 80 px branch 1 px in radius straight up from (150, 100) to (150, 20); SWC units = px. For renderMorphology.
 */
export function thickDendriteWithBranch(): string {
  const lines = ['1 1 50 100 0 6 -1'];
  let id = 2;
  for (let x = 56; x <= 250; x += 2) lines.push(`${id} 3 ${x} 100 0 2 ${id++ - 1}`);
  // Node 49 is the dendrite's (150, 100).
  lines.push(`${id} 3 150 98 0 1 49`);
  for (let y = 96, p = id++; y >= 20; y -= 2, p++) lines.push(`${id++} 3 150 ${y} 0 1 ${p}`);
  return lines.join('\n');
}

/**
 * SWC of a soma (r 6 at (50, 100)), a 194 px dendrite 2 px in radius along y = 100, and an 80 px branch 1.5 px in
 * radius leaving it straight at `angleDeg` from (150, 100), up and away from the soma; SWC units = px. Node 49 (index
 * 48) is the junction. For renderMorphology.
 */
export function dendriteWithBranchAt(angleDeg: number): string {
  const lines = ['1 1 50 100 0 6 -1'];
  let id = 2;
  for (let x = 56; x <= 250; x += 2) lines.push(`${id} 3 ${x} 100 0 2 ${id++ - 1}`);
  const a = (angleDeg * Math.PI) / 180;
  for (let s = 1, p = 49; s <= 40; s++, p = id++) lines.push(`${id} 3 ${(150 + 2 * s * Math.cos(a)).toFixed(3)} ${(100 - 2 * s * Math.sin(a)).toFixed(3)} 0 1.5 ${p}`);
  return lines.join('\n');
}
