import { borrow, giveBack } from '../../scratch-arrays';
import { NEIGHBOUR_DX, NEIGHBOUR_DY, NEIGHBOUR_STEP, PixelHeap } from './min-heap';

/** Shortest-path forest of a geodesic search from several seed regions. */
export interface GeodesicForest {
  width: number;
  height: number;
  /** Predecessor pixel; −1 for a seed pixel, −2 for a pixel never reached. */
  parent: Int32Array;
  /** Index of the seed region whose front reached the pixel first; −1 if none. */
  label: Int32Array;
  /** Reached pixels in the order their distance became final (a parent always comes before its children). */
  order: Int32Array;
  /** Geodesic distance from the pixel's seed region. */
  dist: Float64Array;
}

export interface GeodesicOptions {
  /** APP2's λ in the step cost exp(λ(1 − s)²); default 10. */
  lambda?: number;
  /** Called every few thousand settled pixels with the count so far; return true to cancel. */
  onProgress?: (settled: number) => boolean | void;
}

/** Thrown when the caller cancels a search through onProgress. */
export class SearchCancelled extends Error {
  constructor() {
    super('Search cancelled.');
  }
}

/**
 * Dijkstra over the 8-connected grid from all seed regions together (APP2's fast marching, with exact graph
 * distances). `strength` s ∈ [0, 1] per pixel (the normalised gray-weighted distance); `allowed` marks where the front
 * may go: 1 = foreground, 2 = a short dark gap the front may cross (s is 0 there, so each gap pixel costs e^λ, the
 * price of a dark pixel). A step u→v of length ℓ costs ℓ·(c_u + c_v)/2 with c = exp(λ(1 − s)²). Every reached pixel
 * is labelled with the seed region that reached it first, so neighbouring neurons split the foreground between them.
 */
export function geodesicForest(strength: Float32Array, allowed: Uint8Array, seeds: ReadonlyArray<ArrayLike<number>>, width: number, height: number, options: GeodesicOptions = {}): GeodesicForest {
  const lambda = options.lambda ?? 10;
  const n = width * height;
  // Borrowed: a caller done with the forest may give these back (AutoTracer.trace does, once decomposed).
  const parent = borrow(Int32Array, n).fill(-2);
  const label = borrow(Int32Array, n).fill(-1);
  const dist = borrow(Float64Array, n).fill(Infinity);
  const cost = borrow(Float64Array, n);
  for (let i = 0; i < n; i++) {
    if (!allowed[i]) {
      cost[i] = 0;
      continue;
    }
    const s = allowed[i] === 1 ? Math.min(1, Math.max(0, strength[i])) : 0;
    cost[i] = Math.exp(lambda * (1 - s) * (1 - s));
  }
  const done = borrow(Uint8Array, n).fill(0);
  const order = borrow(Int32Array, n);
  let settled = 0;
  const heap = new PixelHeap(4096);
  seeds.forEach((region, k) => {
    for (let j = 0; j < region.length; j++) {
      const p = region[j];
      if (p < 0 || p >= n || dist[p] === 0) continue;
      dist[p] = 0;
      parent[p] = -1;
      label[p] = k;
      heap.push(0, p);
    }
  });
  while (heap.size > 0) {
    const key = heap.peekKey();
    const p = heap.pop();
    if (done[p] || key > dist[p]) continue;
    done[p] = 1;
    order[settled++] = p;
    if ((settled & 16383) === 0 && options.onProgress?.(settled)) throw new SearchCancelled();
    const x = p % width;
    const y = (p - x) / width;
    const cp = cost[p] > 0 ? cost[p] : Math.exp(lambda);
    for (let k = 0; k < 8; k++) {
      const nx = x + NEIGHBOUR_DX[k];
      const ny = y + NEIGHBOUR_DY[k];
      if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
      const q = nx + width * ny;
      if (!allowed[q] || done[q]) continue;
      const nd = key + 0.5 * NEIGHBOUR_STEP[k] * (cp + cost[q]);
      if (nd < dist[q]) {
        dist[q] = nd;
        parent[q] = p;
        label[q] = label[p];
        heap.push(nd, q);
      }
    }
  }
  const forest = { width, height, parent, label, order: order.slice(0, settled), dist };
  giveBack(cost, done, order);
  return forest;
}
