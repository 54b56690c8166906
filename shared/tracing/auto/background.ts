/**
 * Removes uneven illumination: the background level is estimated on a coarse grid of blocks (a low quantile of each
 * block, then the minimum over its 3×3 neighbourhood so a block filled by a soma takes its neighbours' level),
 * interpolated bilinearly between block centres, and subtracted; negative results clip to 0. The block size is the
 * "large scale": several times the widest structure (a soma), so neurites and somata survive while gradients and
 * vignetting go.
 */
export function flattenBackground(image: Float32Array, width: number, height: number, blockPx = 64, lowQuantile = 0.2): Float32Array {
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
      // Every second pixel each way: the quantile of a block barely changes and the sort is 4× cheaper.
      for (let y = by * b; y < y1; y += 2) for (let x = bx * b; x < x1; x += 2) buf[m++] = image[x + width * y];
      const sorted = buf.subarray(0, m).sort();
      level[bx + gx * by] = sorted[Math.min(m - 1, Math.floor(lowQuantile * m))];
    }
  }
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
      out[x + width * y] = v > 0 ? v : 0;
    }
  }
  return out;
}
