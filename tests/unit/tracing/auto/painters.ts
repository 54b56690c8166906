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
