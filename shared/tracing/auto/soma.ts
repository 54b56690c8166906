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

/** How deep, as a share of a cell body's own depth r, the foreground may be at 2r from its centre (isCompactBlob). */
const COMPACT_DEPTH = 0.6;

/**
 * How thin, as a share of the shallower of two blobs' depths, the foreground between their centres must get for them
 * to be two cell bodies side by side (joined by a waist or by a neurite) rather than one body with two lobes.
 */
const NECK = 0.5;

/**
 * True when the foreground around pixel (cx, cy), `r` deep, is a compact blob rather than a stretch of a thick
 * neurite: on the circle of radius 2r around it the foreground is nowhere more than COMPACT_DEPTH × r deep. Along a
 * tube of radius r the depth stays about r however far one goes, and on either side of a swelling of a thick dendrite
 * it stays not much less (SNT's ddaC: 0.72 r); around a cell body only its neurites cross that circle, each far
 * thinner than the body (0.27–0.34 r on the cells of NeuronJ's neurites.tif, ddaC, the sample and synthetic fields).
 * With `neighbourDepth`, the circle may also cross the body of a cell beside this one (cells of a culture touch):
 * where it is deep, the depth climbs to a blob at least that deep, and the foreground between the two centres thins
 * to a neck (neckedBlobs).
 */
export function isCompactBlob(depth: Float32Array, width: number, height: number, cx: number, cy: number, r: number, neighbourDepth = Infinity): boolean {
  return neighboursIfCompact(depth, width, height, cx, cy, r, neighbourDepth) !== null;
}

/** isCompactBlob's answer as the neighbouring bodies its circle crossed (pixel indices of their deepest px), or null. */
function neighboursIfCompact(depth: Float32Array, width: number, height: number, cx: number, cy: number, r: number, neighbourDepth: number): number[] | null {
  const R = 2 * r;
  const samples = Math.max(16, Math.ceil(2 * Math.PI * R));
  const neighbours: number[] = [];
  for (let k = 0; k < samples; k++) {
    const a = (2 * Math.PI * k) / samples;
    const x = Math.round(cx + R * Math.cos(a));
    const y = Math.round(cy + R * Math.sin(a));
    if (x < 0 || y < 0 || x >= width || y >= height) continue;
    if (depth[x + width * y] <= COMPACT_DEPTH * r) continue;
    if (!(neighbourDepth < Infinity)) return null;
    const top = uphill(depth, width, height, x + width * y);
    if (neighbours.includes(top)) continue;
    if (depth[top] < neighbourDepth || !neckedBlobs(depth, width, cx + width * cy, top)) return null;
    neighbours.push(top);
  }
  return neighbours;
}

/** The local maximum of the depth reached from pixel p by steepest ascent over 8-neighbours. */
function uphill(depth: Float32Array, width: number, height: number, p: number): number {
  for (;;) {
    const x = p % width;
    const y = (p - x) / width;
    let next = p;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        if (depth[nx + width * ny] > depth[next]) next = nx + width * ny;
      }
    }
    if (next === p) return p;
    p = next;
  }
}

/**
 * True when the foreground along the straight line between two blobs' centres (px a and b) thins to less than NECK of
 * the shallower one's depth: two bodies, not the two lobes of one.
 */
function neckedBlobs(depth: Float32Array, width: number, a: number, b: number): boolean {
  const limit = NECK * Math.min(depth[a], depth[b]);
  const ax = a % width;
  const ay = (a - ax) / width;
  const bx = b % width;
  const by = (b - bx) / width;
  const steps = Math.ceil(2 * Math.hypot(bx - ax, by - ay));
  for (let k = 1; k < steps; k++) {
    const x = Math.round(ax + ((bx - ax) * k) / steps);
    const y = Math.round(ay + ((by - ay) * k) / steps);
    if (depth[x + width * y] < limit) return true;
  }
  return false;
}

/**
 * The radius of a cell body's seed disk beside bodies that touch it: its depth, but where the disks of two reach into
 * each other, each its share (by depth) of the distance between their centres, so that each body's front starts on
 * its own ground.
 */
function sharedRadius(depth: Float32Array, width: number, p: number, others: readonly number[]): number {
  const px = p % width;
  const py = (p - px) / width;
  let r = depth[p];
  for (const o of others) {
    const ox = o % width;
    const oy = (o - ox) / width;
    const d = Math.hypot(ox - px, oy - py);
    if (d < depth[p] + depth[o]) r = Math.min(r, (d * depth[p]) / (depth[p] + depth[o]));
  }
  return r;
}

/**
 * The seed region for a click at (x, y) (document px): the deepest foreground pixel (largest distance to the
 * background) within `searchPx` of the click, or the top of the body clicked on when a neck parts it from that
 * pixel's; when that depth reaches `minSomaRadiusPx` and the foreground there is a compact blob (isCompactBlob, a
 * body beside it allowed) it is a cell body and the region is the disk of that radius (sharedRadius). Otherwise the
 * click starts a fibre: on a thick neurite at that deepest pixel (its centre line), else at the nearest foreground
 * pixel (or at the clicked pixel when no foreground is near).
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
  // A click on one of two cells side by side is on that one, though its neighbour's body may be the deeper.
  if (best >= 0 && mask[cx + width * cy]) {
    const own = uphill(depth, width, height, cx + width * cy);
    if (own !== best && depth[own] >= minSomaRadiusPx && neckedBlobs(depth, width, own, best)) {
      best = own;
      bestDepth = depth[own];
    }
  }
  let thick = false;
  if (best >= 0 && bestDepth >= minSomaRadiusPx) {
    const bx = best % width;
    const by = (best - bx) / width;
    const beside = neighboursIfCompact(depth, width, height, bx, by, bestDepth, minSomaRadiusPx);
    if (beside) {
      const r = sharedRadius(depth, width, best, beside);
      return { x: bx + 0.5, y: by + 0.5, r, fibre: false, pixels: regionPixels(mask, width, height, bx, by, r) };
    }
    thick = true;
  }
  // A fibre start: the nearest foreground pixel, within a few px only (a click beside a thin fibre, not far off it).
  const p = thick ? best : nearest >= 0 && nearestD2 <= 25 ? nearest : cx + width * cy;
  const px = p % width;
  const py = (p - px) / width;
  return { x: px + 0.5, y: py + 0.5, r: Math.max(1, depth[p]), fibre: true, pixels: [p] };
}

/**
 * The typical radius of the field's neurites: the median depth of the foreground's medial pixels (a crest of the
 * depth across x or across y). Neurites make nearly all of the medial length, cell bodies a few px each.
 */
export function typicalNeuriteRadius(mask: Uint8Array, depth: Float32Array, width: number, height: number): number {
  const medial: number[] = [];
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = x + width * y;
      if (!mask[i]) continue;
      const d = depth[i];
      const l = depth[i - 1];
      const r = depth[i + 1];
      const u = depth[i - width];
      const b = depth[i + width];
      // A crest across x or across y: not lower than either side and higher than one (along a tube the depth is flat).
      if ((d >= l && d >= r && d > Math.min(l, r)) || (d >= u && d >= b && d > Math.min(u, b))) medial.push(d);
    }
  }
  if (medial.length === 0) return 0;
  medial.sort((a, b) => a - b);
  return medial[medial.length >> 1];
}

/**
 * Cell bodies without clicks: local maxima of the foreground's distance to background that are at least
 * `minRadiusPx` deep and four times the field's typical neurite radius (typicalNeuriteRadius: where the pixel size is
 * unknown or the neurites are thick, µm alone cannot tell a soma from a neurite) and compact blobs (not a stretch of
 * a thick neurite, isCompactBlob, which lets the circle cross a neighbouring body's), strongest first, each at least
 * `minSeparationPx` from a stronger one unless a neck parts the two (cells side by side; their seed disks share the
 * ground between them, sharedRadius). With `nucleus` (a nuclear-stain foreground mask), a candidate must lie on a
 * nucleus. `typicalRadius` may be passed when already known for this mask.
 */
export function detectSomata(
  mask: Uint8Array,
  depth: Float32Array,
  width: number,
  height: number,
  minRadiusPx: number,
  minSeparationPx: number,
  nucleus?: Uint8Array,
  typicalRadius = typicalNeuriteRadius(mask, depth, width, height),
): SeedRegion[] {
  const cand: number[] = [];
  const beside = new Map<number, number[]>();
  const least = Math.max(minRadiusPx, 4 * typicalRadius);
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = x + width * y;
      const d = depth[i];
      if (d < least || (nucleus && !nucleus[i])) continue;
      let isMax = true;
      for (let dy = -1; dy <= 1 && isMax; dy++) for (let dx = -1; dx <= 1; dx++) if (depth[i + dx + width * dy] > d) { isMax = false; break; }
      if (!isMax) continue;
      const others = neighboursIfCompact(depth, width, height, x, y, d, least);
      if (!others) continue;
      cand.push(i);
      beside.set(i, others);
    }
  }
  cand.sort((a, b) => depth[b] - depth[a] || a - b);
  const chosen: number[] = [];
  for (const i of cand) {
    const x = i % width;
    const y = (i - x) / width;
    const sep = Math.max(minSeparationPx, depth[i]);
    // Nearer than the separation, a second maximum is the same body's, unless a neck parts the two.
    const tooNear = (c: number) => (c % width - x) ** 2 + (Math.floor(c / width) - y) ** 2 < Math.max(sep, depth[c]) ** 2 && !neckedBlobs(depth, width, c, i);
    if (!chosen.some(tooNear)) chosen.push(i);
  }
  return chosen.map((i) => {
    const x = i % width;
    const y = (i - x) / width;
    const r = sharedRadius(depth, width, i, [...beside.get(i)!, ...chosen.filter((c) => c !== i)]);
    return { x: x + 0.5, y: y + 0.5, r, fibre: false, pixels: regionPixels(mask, width, height, x, y, r) };
  });
}
