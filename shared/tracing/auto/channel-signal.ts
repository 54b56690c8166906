import { backgroundLevel } from './foreground';
import { imageField } from './image-field';
import { quantile, range } from './signal';

/** How far above its own contrast another channel's must be for it to be named (see moreSignalIn). */
const CLEARLY_MORE = 2;
/** Contrast a channel must reach to be named at all: its brightest px this many robust σ above its background. */
const STRUCTURED = 10;

/**
 * How far a plane's brightest structures stand above its background: (99.9th percentile − median) / σ, both read as
 * the tracer reads them (backgroundLevel: under the clip of a background-subtracted plane, whose MAD is 0; over its
 * field, not a black margin, imageField), σ at least a thousandth of its range, so a flat or nearly empty plane does
 * not divide by 0. Neurites or cell bodies in a channel give tens; a channel of noise or a constant a few at most.
 */
export function signalContrast(plane: ArrayLike<number>, width: number): number {
  return signalOf(plane, width).contrast;
}

/** signalContrast, and `above`: the same 99.9th percentile's height above the median in the plane's own values. */
function signalOf(plane: ArrayLike<number>, width: number): { contrast: number; above: number } {
  const values = plane instanceof Float32Array ? plane : Float32Array.from(plane);
  const field = imageField(values, width, Math.floor(values.length / width));
  const [lo, hi] = range(values, field ?? undefined);
  if (!(hi > lo)) return { contrast: 0, above: 0 };
  const { median, sigma } = backgroundLevel(values, width, field);
  const above = quantile(values, 0.999, lo, hi, field ?? undefined) - median;
  return { contrast: above / Math.max(sigma, (hi - lo) / 1000), above };
}

/**
 * Another channel whose signal clearly stands out more than channel `traced`'s (twice the contrast, and at least
 * STRUCTURED), the most contrasted one, or null: asked when a trace found nothing, or only fibres. A colour (RGB)
 * micrograph of green-stained neurons traced in its red channel, say, is told where its neurons are. The channels of
 * a `colour` image share one scale and are compared by their signal's height in it instead: a JPEG's red channel of
 * green neurites holds their faint ghost (its chroma, 13 grey levels against 253) on a background of 0, as
 * contrasted against its own noise as the green.
 */
export function moreSignalIn(planes: ReadonlyArray<ArrayLike<number>>, traced: number, width: number, colour = false): number | null {
  const signal = planes.map((p) => signalOf(p, width));
  const level = signal.map((s) => (colour ? s.above : s.contrast));
  let best: number | null = null;
  for (let c = 0; c < planes.length; c++) {
    if (c === traced || signal[c].contrast < STRUCTURED || level[c] < CLEARLY_MORE * level[traced]) continue;
    if (best === null || level[c] > level[best]) best = c;
  }
  return best;
}
