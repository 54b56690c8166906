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
  const values = plane instanceof Float32Array ? plane : Float32Array.from(plane);
  const field = imageField(values, width, Math.floor(values.length / width));
  const [lo, hi] = range(values, field ?? undefined);
  if (!(hi > lo)) return 0;
  const { median, sigma } = backgroundLevel(values, width, field);
  return (quantile(values, 0.999, lo, hi, field ?? undefined) - median) / Math.max(sigma, (hi - lo) / 1000);
}

/**
 * When a trace of channel `traced` found nothing: another channel whose signal clearly stands out more (twice the
 * contrast and at least STRUCTURED), the most contrasted one, or null. A colour (RGB) micrograph of green-stained
 * neurons traced in its red channel, say, is told where its neurons are instead of only that there are none.
 */
export function moreSignalIn(planes: ReadonlyArray<ArrayLike<number>>, traced: number, width: number): number | null {
  const contrast = planes.map((p) => signalContrast(p, width));
  let best: number | null = null;
  for (let c = 0; c < planes.length; c++) {
    if (c === traced || contrast[c] < STRUCTURED || contrast[c] < CLEARLY_MORE * contrast[traced]) continue;
    if (best === null || contrast[c] > contrast[best]) best = c;
  }
  return best;
}
