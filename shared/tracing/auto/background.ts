import { selectInPlace } from '../../stats/descriptive';

/**
 * Removes uneven illumination: the background level is estimated on a coarse grid of blocks (a low quantile of each
 * block, then the minimum over its 3×3 neighbourhood so a block filled by a soma takes its neighbours' level),
 * interpolated bilinearly between block centres, and subtracted; negative results clip to 0. The block size is the
 * "large scale": several times the widest structure (a soma), so neurites and somata survive while gradients and
 * vignetting go. With `field` (image-field.ts), only its px are read: a block with under a tenth of its px in it
 * takes its neighbours' level, and the px outside it are 0.
 */
export function flattenBackground(image: Float32Array, width: number, height: number, blockPx = 64, lowQuantile = 0.2, field: Uint8Array | null = null): Float32Array {
  const b = Math.max(8, Math.round(blockPx));
  const gx = Math.max(1, Math.ceil(width / b));
  const gy = Math.max(1, Math.ceil(height / b));
  const level = new Float32Array(gx * gy);
  const buf = new Float32Array(Math.ceil(b / 2) ** 2);
  for (let by = 0; by < gy; by++) {
    for (let bx = 0; bx < gx; bx++) {
      let m = 0;
      const x1 = Math.min(width, (bx + 1) * b);
      const y1 = Math.min(height, (by + 1) * b);
      // Every second pixel each way: the quantile of a block barely changes and reading it is 4× cheaper.
      let read = 0;
      for (let y = by * b; y < y1; y += 2) {
        for (let x = bx * b; x < x1; x += 2) {
          read++;
          if (!field || field[x + width * y]) buf[m++] = image[x + width * y];
        }
      }
      const k = Math.min(m - 1, Math.floor(lowQuantile * m));
      // The value a sort would put at k, selected (a sort of every block was a third of the flattening's time).
      if (m > 0) selectInPlace(buf, k, 0, m - 1);
      level[bx + gx * by] = m > 0 && m >= 0.1 * read ? buf[k] : NaN;
    }
  }
  if (field) fillMissingBlocks(level, gx, gy);
  const floor = new Float32Array(gx * gy);
  for (let by = 0; by < gy; by++) {
    for (let bx = 0; bx < gx; bx++) {
      let m = Infinity;
      for (let j = Math.max(0, by - 1); j <= Math.min(gy - 1, by + 1); j++) for (let i = Math.max(0, bx - 1); i <= Math.min(gx - 1, bx + 1); i++) m = Math.min(m, level[i + gx * j]);
      floor[bx + gx * by] = m;
    }
  }
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const fy = Math.min(gy - 1, Math.max(0, (y + 0.5) / b - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(gy - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(gx - 1, Math.max(0, (x + 0.5) / b - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(gx - 1, x0 + 1);
      const tx = fx - x0;
      const top = floor[x0 + gx * y0] * (1 - tx) + floor[x1 + gx * y0] * tx;
      const bot = floor[x0 + gx * y1] * (1 - tx) + floor[x1 + gx * y1] * tx;
      const v = image[x + width * y] - (top * (1 - ty) + bot * ty);
      out[x + width * y] = v > 0 && (!field || field[x + width * y]) ? v : 0;
    }
  }
  return out;
}

/** Blocks without a level (NaN) take the mean of their neighbours that have one, ring by ring; none at all: 0. */
function fillMissingBlocks(level: Float32Array, gx: number, gy: number): void {
  for (let missing = level.findIndex(Number.isNaN); missing >= 0; missing = level.findIndex(Number.isNaN)) {
    const next = Float32Array.from(level);
    let filled = 0;
    for (let by = 0; by < gy; by++) {
      for (let bx = 0; bx < gx; bx++) {
        if (!Number.isNaN(level[bx + gx * by])) continue;
        let sum = 0;
        let count = 0;
        for (let j = Math.max(0, by - 1); j <= Math.min(gy - 1, by + 1); j++) {
          for (let i = Math.max(0, bx - 1); i <= Math.min(gx - 1, bx + 1); i++) {
            const v = level[i + gx * j];
            if (!Number.isNaN(v)) {
              sum += v;
              count++;
            }
          }
        }
        if (count > 0) {
          next[bx + gx * by] = sum / count;
          filled++;
        }
      }
    }
    if (filled === 0) {
      level.fill(0);
      return;
    }
    level.set(next);
  }
}
