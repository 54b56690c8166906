import { borrow, giveBack } from '../../scratch-arrays';
import { NEIGHBOUR_DX, NEIGHBOUR_DY, NEIGHBOUR_STEP, PixelHeap } from './min-heap';

/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012, lower envelope of parabolas, one pass per
 * axis): for every pixel with mask ≠ 0 the distance in px to the nearest pixel with mask = 0; 0 on background. Pixels
 * beyond the image border count as background (so a blob touching the edge is not infinitely deep), or, with
 * `borderIsBackground` false, as mask (the distance to the nearest pixel with mask = 0 inside the image: from the
 * background to the nearest neurite, the border is no neurite). Written into `out` when given.
 */
export function euclideanDistance(mask: Uint8Array, width: number, height: number, out = new Float32Array(width * height), borderIsBackground = true): Float32Array {
  const n = width * height;
  // Farther than any distance in the image: beyond a border that is not background.
  const far = borderIsBackground ? 1 : width + height;
  // Along columns the mask is binary, so the squared distance is that to the nearest background pixel of the column:
  // two sweeps over the rows (memory in order), the same values the parabola envelope gives.
  const f = borrow(Float64Array, n);
  for (let x = 0; x < width; x++) f[x] = mask[x] ? far : 0;
  for (let i = width; i < n; i++) f[i] = mask[i] ? f[i - width] + 1 : 0;
  for (let i = n - width; i < n; i++) if (f[i] > far) f[i] = far;
  for (let i = n - width - 1; i >= 0; i--) {
    const below = f[i + width] + 1;
    if (f[i] > below) f[i] = below;
  }
  for (let i = 0; i < n; i++) f[i] *= f[i];
  // Rows: the lower envelope over each run of mask px with the px on either side of it (a background px, or the pad
  // beyond the border): a px farther along the row than the run's end lies farther than that background px, whose
  // own value is 0. A row is then worked in time proportional to its mask px, and a sparse field's rows cost little.
  const pad = borderIsBackground ? 0 : far * far;
  const line = new Float64Array(width + 2);
  const lower = new Float64Array(width + 2);
  const v = new Int32Array(width + 2);
  const z = new Float64Array(width + 3);
  for (let y = 0; y < height; y++) {
    const o = width * y;
    for (let a = 0; a < width; ) {
      if (!mask[o + a]) {
        out[o + a++] = 0;
        continue;
      }
      let b = a;
      while (b + 1 < width && mask[o + b + 1]) b++;
      const m = b - a + 3;
      line[0] = a === 0 ? pad : 0;
      for (let k = a; k <= b; k++) line[k - a + 1] = f[o + k];
      line[m - 1] = b === width - 1 ? pad : 0;
      envelope(line, m, lower, v, z);
      for (let k = a; k <= b; k++) out[o + k] = Math.sqrt(lower[k - a + 1]);
      a = b + 1;
    }
  }
  giveBack(f);
  return out;
}

/**
 * 1 on the px within `reach` px (Euclidean) of a px with mask ≠ 0, the mask's own included; 0 elsewhere: what
 * euclideanDistance of the inverted mask (the border no mask px) says ≤ reach, compared as it compares (√ of the squared
 * distance), at a fraction of its cost: only the columns' distances up to the reach are read.
 */
export function withinReach(mask: Uint8Array, width: number, height: number, reach: number): Uint8Array {
  const n = width * height;
  const out = new Uint8Array(n);
  const r = Math.floor(reach);
  if (!(reach >= 0)) return out;
  // Px to the nearest mask px up and down the column, capped past the reach.
  const far = r + 1;
  const dv = borrow(Int32Array, n);
  for (let x = 0; x < width; x++) dv[x] = mask[x] ? 0 : far;
  for (let i = width; i < n; i++) dv[i] = mask[i] ? 0 : Math.min(far, dv[i - width] + 1);
  for (let i = n - width - 1; i >= 0; i--) if (dv[i + width] + 1 < dv[i]) dv[i] = dv[i + width] + 1;
  for (let y = 0; y < height; y++) {
    const o = y * width;
    // The last column at or before x, and the first at or after it, with a mask px within the reach up or down.
    let left = -far;
    let right = -1;
    for (let x = 0; x < width; x++) {
      if (dv[o + x] <= r) left = x;
      if (right < x) for (right = x; right < width && dv[o + right] > r; right++);
      if (dv[o + x] === 0) {
        out[o + x] = 1;
        continue;
      }
      // Most of a field's background has no such column within the reach along its row: nothing to look at.
      if (x - left > r && right - x > r) continue;
      for (let dx = Math.max(-r, -x); dx <= Math.min(r, width - 1 - x); dx++) {
        const v = dv[o + x + dx];
        if (v <= r && Math.sqrt(v * v + dx * dx) <= reach) {
          out[o + x] = 1;
          break;
        }
      }
    }
  }
  giveBack(dv);
  return out;
}

/** 1-D squared distance transform of sampled function f (length m) into d. */
function envelope(f: Float64Array, m: number, d: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0;
  z[0] = -Infinity;
  z[1] = Infinity;
  for (let q = 1; q < m; q++) {
    let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    while (s <= z[k]) {
      k--;
      s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
    }
    k++;
    v[k] = q;
    z[k] = s;
    z[k + 1] = Infinity;
  }
  k = 0;
  for (let q = 0; q < m; q++) {
    while (z[k + 1] < q) k++;
    d[q] = (q - v[k]) * (q - v[k]) + f[v[k]];
  }
}

/**
 * Gray-weighted distance transform (APP2's GWDT): for a foreground pixel, the smallest sum over an 8-connected path
 * to the background of step length × signal of the pixel stepped onto. Centre lines of bright, wide structures get
 * the largest values, so a geodesic search weighted by it keeps to the middle of a neurite. Background and pixels
 * beyond the border are 0. Written into `out` when given.
 */
export function grayWeightedDistance(mask: Uint8Array, signal: Float32Array, width: number, height: number, out = new Float32Array(width * height)): Float32Array {
  const n = width * height;
  // Float64 so that the heap's keys and the stored distances compare exactly (stale-entry test below).
  const d = borrow(Float64Array, n).fill(0);
  const heap = new PixelHeap(4096);
  for (let i = 0; i < n; i++) {
    if (!mask[i]) continue;
    const x = i % width;
    const y = (i - x) / width;
    // Seeds: foreground pixels next to background (or the border); their distance is one step onto them.
    let edge = x === 0 || y === 0 || x === width - 1 || y === height - 1;
    if (!edge) edge = !mask[i - 1] || !mask[i + 1] || !mask[i - width] || !mask[i + width];
    d[i] = edge ? Math.max(signal[i], 1e-6) : Infinity;
    if (edge) heap.push(d[i], i);
  }
  while (heap.size > 0) {
    const key = heap.peekKey();
    const p = heap.pop();
    if (key > d[p]) continue;
    const x = p % width;
    const y = (p - x) / width;
    for (let k = 0; k < 8; k++) {
      const nx = x + NEIGHBOUR_DX[k];
      const ny = y + NEIGHBOUR_DY[k];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = nx + width * ny;
      if (!mask[q]) continue;
      const nd = key + NEIGHBOUR_STEP[k] * Math.max(signal[q], 1e-6);
      if (nd < d[q]) {
        d[q] = nd;
        heap.push(nd, q);
      }
    }
  }
  for (let i = 0; i < n; i++) out[i] = d[i];
  giveBack(d);
  return out;
}
