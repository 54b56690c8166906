import { NEIGHBOURS, PixelHeap } from './min-heap';

/**
 * Exact Euclidean distance transform (Felzenszwalb & Huttenlocher 2012, lower envelope of parabolas, one pass per
 * axis): for every pixel with mask ≠ 0 the distance in px to the nearest pixel with mask = 0; 0 on background. Pixels
 * beyond the image border count as background, so a blob touching the edge is not infinitely deep.
 */
export function euclideanDistance(mask: Uint8Array, width: number, height: number): Float32Array {
  const INF = 1e20;
  const n = width * height;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = mask[i] ? INF : 0;
  const len = Math.max(width, height) + 2;
  const line = new Float64Array(len);
  const out = new Float64Array(len);
  const v = new Int32Array(len);
  const z = new Float64Array(len + 1);
  // Each line is padded with a background sample on both ends (index 0 and m + 1). Columns first, then rows.
  for (let x = 0; x < width; x++) {
    line[0] = 0;
    for (let k = 0; k < height; k++) line[k + 1] = f[x + width * k];
    line[height + 1] = 0;
    envelope(line, height + 2, out, v, z);
    for (let k = 0; k < height; k++) f[x + width * k] = out[k + 1];
  }
  for (let y = 0; y < height; y++) {
    const o = width * y;
    line[0] = 0;
    for (let k = 0; k < width; k++) line[k + 1] = f[o + k];
    line[width + 1] = 0;
    envelope(line, width + 2, out, v, z);
    for (let k = 0; k < width; k++) f[o + k] = out[k + 1];
  }
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.sqrt(f[i]);
  return d;
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
 * beyond the border are 0.
 */
export function grayWeightedDistance(mask: Uint8Array, signal: Float32Array, width: number, height: number): Float32Array {
  const n = width * height;
  // Float64 so that the heap's keys and the stored distances compare exactly (stale-entry test below).
  const d = new Float64Array(n);
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
    for (const [dx, dy, len] of NEIGHBOURS) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = nx + width * ny;
      if (!mask[q]) continue;
      const nd = key + len * Math.max(signal[q], 1e-6);
      if (nd < d[q]) {
        d[q] = nd;
        heap.push(nd, q);
      }
    }
  }
  return Float32Array.from(d);
}
