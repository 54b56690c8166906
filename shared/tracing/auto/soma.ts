/** A cell body (or fibre start) the fronts start from, in document px (pixel i spans [i, i + 1)). */
export interface SeedRegion {
  x: number;
  y: number;
  /** Radius in px: the largest disk inside the foreground at the centre (about 1 px for a fibre start). */
  r: number;
  /** True when no cell body was found at the click: the trace starts at a fibre. */
  fibre: boolean;
  /** Pixel indices the front starts from. */
  pixels: number[];
}

/** Pixels of the foreground within r + 1 of (cx, cy) (pixel-index coordinates), the centre pixel always included. */
function regionPixels(mask: Uint8Array, width: number, height: number, cx: number, cy: number, r: number): number[] {
  const out: number[] = [cx + width * cy];
  const R = r + 1;
  for (let y = Math.max(0, Math.floor(cy - R)); y <= Math.min(height - 1, Math.ceil(cy + R)); y++) {
    for (let x = Math.max(0, Math.floor(cx - R)); x <= Math.min(width - 1, Math.ceil(cx + R)); x++) {
      const i = x + width * y;
      if (i !== out[0] && mask[i] && (x - cx) ** 2 + (y - cy) ** 2 <= R * R) out.push(i);
    }
  }
  return out;
}

/**
 * The seed region for a click at (x, y) (document px): the deepest foreground pixel (largest distance to the
 * background) within `searchPx` of the click; when that depth reaches `minSomaRadiusPx` it is a cell body and the
 * region is the disk of that radius, otherwise the click starts a fibre at the nearest foreground pixel (or at the
 * clicked pixel when no foreground is near).
 */
export function seedAtClick(x: number, y: number, mask: Uint8Array, depth: Float32Array, width: number, height: number, minSomaRadiusPx: number, searchPx: number): SeedRegion {
  const cx = Math.min(width - 1, Math.max(0, Math.floor(x)));
  const cy = Math.min(height - 1, Math.max(0, Math.floor(y)));
  let best = -1;
  let bestDepth = 0;
  let nearest = -1;
  let nearestD2 = Infinity;
  const R = Math.max(1, searchPx);
  for (let yy = Math.max(0, Math.floor(cy - R)); yy <= Math.min(height - 1, Math.ceil(cy + R)); yy++) {
    for (let xx = Math.max(0, Math.floor(cx - R)); xx <= Math.min(width - 1, Math.ceil(cx + R)); xx++) {
      const d2 = (xx - cx) ** 2 + (yy - cy) ** 2;
      if (d2 > R * R) continue;
      const i = xx + width * yy;
      if (!mask[i]) continue;
      if (depth[i] > bestDepth || (depth[i] === bestDepth && best >= 0 && d2 < (best % width - cx) ** 2 + (Math.floor(best / width) - cy) ** 2)) {
        bestDepth = depth[i];
        best = i;
      }
      if (d2 < nearestD2) {
        nearestD2 = d2;
        nearest = i;
      }
    }
  }
  if (best >= 0 && bestDepth >= minSomaRadiusPx) {
    const bx = best % width;
    const by = (best - bx) / width;
    return { x: bx + 0.5, y: by + 0.5, r: bestDepth, fibre: false, pixels: regionPixels(mask, width, height, bx, by, bestDepth) };
  }
  // A fibre start: the nearest foreground pixel, within a few px only (a click beside a thin fibre, not far off it).
  const p = nearest >= 0 && nearestD2 <= 25 ? nearest : cx + width * cy;
  const px = p % width;
  const py = (p - px) / width;
  return { x: px + 0.5, y: py + 0.5, r: Math.max(1, depth[p]), fibre: true, pixels: [p] };
}

/**
 * Cell bodies without clicks: local maxima of the foreground's distance to background that are at least
 * `minRadiusPx` deep (neurites are far thinner than a soma), strongest first, each at least `minSeparationPx` from a
 * stronger one. With `nucleus` (a nuclear-stain foreground mask), a candidate must lie on a nucleus.
 */
export function detectSomata(mask: Uint8Array, depth: Float32Array, width: number, height: number, minRadiusPx: number, minSeparationPx: number, nucleus?: Uint8Array): SeedRegion[] {
  const cand: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = x + width * y;
      const d = depth[i];
      if (d < minRadiusPx || (nucleus && !nucleus[i])) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) for (let dx = -1; dx <= 1; dx++) if (depth[i + dx + width * dy] > d) { isMax = false; break; }
      if (isMax) cand.push(i);
    }
  }
  cand.sort((a, b) => depth[b] - depth[a] || a - b);
  const chosen: SeedRegion[] = [];
  for (const i of cand) {
    const x = i % width;
    const y = (i - x) / width;
    const sep = Math.max(minSeparationPx, depth[i]);
    if (chosen.some((s) => (s.x - 0.5 - x) ** 2 + (s.y - 0.5 - y) ** 2 < Math.max(sep, s.r) ** 2)) continue;
    chosen.push({ x: x + 0.5, y: y + 0.5, r: depth[i], fibre: false, pixels: regionPixels(mask, width, height, x, y, depth[i]) });
  }
  return chosen;
}
