import type { PixelArray } from './types';

/**
 * A z-stack seen whole: per pixel the brightest slice, or the darkest when the stack's background is bright (inverted
 * LUT, MinIsWhite, transmitted light), so that the projection keeps the neurites either way. The viewer shows it and
 * the tracers trace it; `brightBackground` comes from the pixels (tracing/auto/signal.ts brightBackground).
 */
export function zProjection(slices: readonly PixelArray[], brightBackground: boolean): PixelArray {
  const out = slices[0].slice() as PixelArray;
  for (let s = 1; s < slices.length; s++) {
    const q = slices[s];
    if (brightBackground) for (let i = 0; i < out.length; i++) out[i] = q[i] < out[i] ? q[i] : out[i];
    else for (let i = 0; i < out.length; i++) out[i] = q[i] > out[i] ? q[i] : out[i];
  }
  return out;
}
