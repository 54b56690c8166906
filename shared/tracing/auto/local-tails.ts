import { median } from '../../stats/descriptive';
import { levelAndNoise } from '../hot-pixels';

/** Blocks whose median stands for the local background, this many px on a side: a few dendrites' widths. */
const BLOCK = 32;
/** A px lies in a tail this many σ of the noise from its block's median. */
const TAIL_SIGMAS = 3;

/**
 * The shares of px standing more than TAIL_SIGMAS of the noise above and below the median of their BLOCK² block: the
 * neurites' tail and the noise's (or, on a bright background, the other way round). Read against each block's own
 * median, so that uneven illumination, which spreads the whole plane's values both ways, does not count; a block
 * whose px are mostly neurite (around a soma) puts its background in the lower tail, so a tail counts only when it
 * clearly outweighs the other.
 */
export function localTails(values: ArrayLike<number>, width: number): { above: number; below: number } {
  const height = Math.floor(values.length / width);
  const { sigma } = levelAndNoise(values, width);
  const reach = TAIL_SIGMAS * sigma;
  const sample = new Float64Array((BLOCK / 2) * (BLOCK / 2));
  let above = 0;
  let below = 0;
  for (let by = 0; by < height; by += BLOCK) {
    for (let bx = 0; bx < width; bx += BLOCK) {
      const [x1, y1] = [Math.min(width, bx + BLOCK), Math.min(height, by + BLOCK)];
      // The median of every other px of every other row: a quarter of the sorting, the same level within the noise.
      let n = 0;
      for (let y = by; y < y1; y += 2) for (let x = bx; x < x1; x += 2) sample[n++] = values[y * width + x];
      const level = median(sample.subarray(0, n));
      for (let y = by; y < y1; y++) {
        for (let x = bx; x < x1; x++) {
          const v = values[y * width + x];
          if (v - level > reach) above++;
          else if (level - v > reach) below++;
        }
      }
    }
  }
  const count = width * height;
  return { above: above / count, below: below / count };
}
