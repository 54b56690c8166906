import type { PixelArray } from '../image/types';

/** A rectangle of whole image pixels: columns x … x+width−1, rows y … y+height−1. */
export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Mean of the source pixels under each output pixel (area averaging when shrinking, the nearest pixel when
 * enlarging): output pixel (u, v) covers source columns ⌊crop.x + u/s⌋ … ⌊crop.x + (u+1)/s⌋ − 1 (at least one).
 * NaN samples are skipped.
 */
export function resampleCrop(src: PixelArray, srcWidth: number, crop: PixelRect, width: number, height: number): Float32Array {
  const out = new Float32Array(width * height);
  const sx = crop.width / width;
  const sy = crop.height / height;
  const span = (i: number, s: number, origin: number, len: number): [number, number] => {
    const a = origin + Math.floor(i * s);
    const b = Math.min(origin + len, Math.max(a + 1, origin + Math.floor((i + 1) * s)));
    return [a, b];
  };
  for (let v = 0; v < height; v++) {
    const [y0, y1] = span(v, sy, crop.y, crop.height);
    for (let u = 0; u < width; u++) {
      const [x0, x1] = span(u, sx, crop.x, crop.width);
      let sum = 0;
      let n = 0;
      for (let y = y0; y < y1; y++) {
        const row = y * srcWidth;
        for (let x = x0; x < x1; x++) {
          const s = src[row + x];
          if (s === s) {
            sum += s;
            n++;
          }
        }
      }
      out[v * width + u] = n ? sum / n : 0;
    }
  }
  return out;
}
