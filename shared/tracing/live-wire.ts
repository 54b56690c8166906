import { RamifyError } from '../result';
import type { CostImage } from './cost-image';

/**
 * NeuronJ-style live-wire: one Dijkstra search from the anchor over the 8-connected pixel grid fills a predecessor
 * map; each cursor move then only walks that map back to the anchor (O(path length)).
 *
 * Coordinates: inputs are image px as the document stores them ((0,0) = top-left corner of the top-left pixel), so
 * the point (x, y) lies in pixel (⌊x⌋, ⌊y⌋); points outside the image are clamped to the nearest edge pixel.
 * Outputs are pixel centres (i + 0.5, j + 0.5).
 *
 * Step cost between 8-neighbours u, v = (cost[u] + cost[v]) / 2 × step length (1 or √2).
 *
 * Memory: 9 bytes per pixel (float64 distance + predecessor byte) plus a heap that holds the search frontier.
 * All state is typed arrays, so a worker can own it; nothing per node is an object.
 */

/** What a (partial) search has done so far. */
export interface SearchStats {
  /** Anchor pixel centre in image px. */
  anchor: [number, number];
  /** Pixels whose shortest path is final. */
  settled: number;
  /** Pixels in the image. */
  total: number;
  /** True when every reachable pixel is settled. */
  done: boolean;
  /** Wall time of this call in ms. */
  ms: number;
}

// Neighbour directions; pred stores the index of the step that reached a pixel.
const DX = [1, -1, 0, 0, 1, 1, -1, -1];
const DY = [0, 0, 1, -1, 1, -1, 1, -1];
const HALF_LEN = [0.5, 0.5, 0.5, 0.5, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2, Math.SQRT1_2];
const PRED_ANCHOR = 8;
const PRED_NONE = 15;
const SETTLED = 16;
const PRED_MASK = 15;

export class LiveWire {
  /** Columns of the cost image. */
  readonly width: number;
  /** Rows of the cost image. */
  readonly height: number;
  private readonly cost: Float32Array;
  private readonly dist: Float64Array;
  /** Low 4 bits: direction index that reached the pixel (PRED_ANCHOR, PRED_NONE); bit 4: settled. */
  private readonly pred: Uint8Array;
  // Lazy-deletion binary min-heap of (key, pixel); stale entries are skipped on pop.
  private heapKey: Float64Array;
  private heapNode: Int32Array;
  private heapSize = 0;
  private settledCount = 0;
  private anchorIndex = -1;

  constructor(cost: CostImage) {
    const { width, height, data } = cost;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height) {
      throw new RamifyError('invalid-argument', `Cost image of ${width}×${height} with ${data.length} values is inconsistent.`);
    }
    this.width = width;
    this.height = height;
    this.cost = data;
    this.dist = new Float64Array(width * height);
    this.pred = new Uint8Array(width * height);
    const initial = Math.min(width * height + 8, 1 << 16);
    this.heapKey = new Float64Array(initial);
    this.heapNode = new Int32Array(initial);
  }

  /** Anchor pixel centre, or null before the first setAnchor. */
  get anchor(): [number, number] | null {
    if (this.anchorIndex < 0) return null;
    return [(this.anchorIndex % this.width) + 0.5, Math.floor(this.anchorIndex / this.width) + 0.5];
  }

  /** Pixel index of an image-px point, clamped into the image. */
  pixelIndex(x: number, y: number): number {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RamifyError('invalid-argument', `Point (${x}, ${y}) is not a position in the image.`);
    const px = Math.min(this.width - 1, Math.max(0, Math.floor(x)));
    const py = Math.min(this.height - 1, Math.max(0, Math.floor(y)));
    return px + this.width * py;
  }

  /**
   * Starts a new search from the pixel under (x, y) and settles up to `budget` pixels (default: all). Further work
   * happens in continueSearch or lazily in pathTo.
   */
  setAnchor(x: number, y: number, budget = Infinity): SearchStats {
    const t0 = performance.now();
    const a = this.pixelIndex(x, y);
    this.dist.fill(Infinity);
    this.pred.fill(PRED_NONE);
    this.heapSize = 0;
    this.settledCount = 0;
    this.anchorIndex = a;
    this.dist[a] = 0;
    this.pred[a] = PRED_ANCHOR;
    this.push(0, a);
    this.run(budget, -1);
    return this.stats(t0);
  }

  /** Settles up to `budget` more pixels of the current search (for a worker that searches between cursor moves). */
  continueSearch(budget = Infinity): SearchStats {
    const t0 = performance.now();
    this.requireAnchor();
    this.run(budget, -1);
    return this.stats(t0);
  }

  /** True when the shortest path to the pixel under (x, y) is already known (pathTo will not search). */
  isSettled(x: number, y: number): boolean {
    return this.anchorIndex >= 0 && (this.pred[this.pixelIndex(x, y)] & SETTLED) !== 0;
  }

  /** Accumulated cost of the best path from the anchor to the pixel under (x, y); searches as needed. */
  costTo(x: number, y: number): number {
    const t = this.settle(x, y);
    return this.dist[t];
  }

  /**
   * Minimum-cost path from the anchor to the pixel under (x, y) as pixel centres, anchor first, cursor last.
   * Extends the search until that pixel is settled, so the answer is always the optimum.
   */
  pathTo(x: number, y: number): Array<[number, number]> {
    const t = this.settle(x, y);
    const w = this.width;
    const rev: number[] = [];
    let v = t;
    // Each step moves to a pixel with smaller distance, so this ends at the anchor within width*height steps.
    for (let guard = 0; guard <= this.dist.length; guard++) {
      rev.push(v);
      const d = this.pred[v] & PRED_MASK;
      if (d === PRED_ANCHOR || d === PRED_NONE) break;
      v -= DX[d] + DY[d] * w;
    }
    const out: Array<[number, number]> = new Array(rev.length);
    for (let i = 0; i < rev.length; i++) {
      const p = rev[rev.length - 1 - i];
      out[i] = [(p % w) + 0.5, Math.floor(p / w) + 0.5];
    }
    return out;
  }

  private settle(x: number, y: number): number {
    this.requireAnchor();
    const t = this.pixelIndex(x, y);
    if ((this.pred[t] & SETTLED) === 0) this.run(Infinity, t);
    return t;
  }

  private requireAnchor(): void {
    if (this.anchorIndex < 0) throw new RamifyError('invalid-state', 'Live-wire has no anchor; call setAnchor first.');
  }

  private stats(t0: number): SearchStats {
    const total = this.width * this.height;
    return { anchor: this.anchor ?? [0, 0], settled: this.settledCount, total, done: this.heapSize === 0, ms: performance.now() - t0 };
  }

  /** Doubles the heap arrays; the run loop reloads its local references afterwards. */
  private growHeap(): void {
    const k = new Float64Array(this.heapKey.length * 2);
    k.set(this.heapKey);
    const n = new Int32Array(this.heapNode.length * 2);
    n.set(this.heapNode);
    this.heapKey = k;
    this.heapNode = n;
  }

  private push(key: number, node: number): void {
    if (this.heapSize === this.heapKey.length) this.growHeap();
    const keys = this.heapKey;
    const nodes = this.heapNode;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pk = keys[parent];
      if (pk <= key) break;
      keys[i] = pk;
      nodes[i] = nodes[parent];
      i = parent;
    }
    keys[i] = key;
    nodes[i] = node;
  }

  /**
   * Dijkstra main loop: settles up to `budget` pixels, stopping early once `target` (≥ 0) is settled. The heap is
   * 4-ary (half the depth of a binary heap, siblings share cache lines) and inlined here: this loop is the whole cost
   * of a full-image search.
   */
  private run(budget: number, target: number): void {
    const w = this.width;
    const h = this.height;
    const cost = this.cost;
    const dist = this.dist;
    const pred = this.pred;
    const o0 = 1, o1 = -1, o2 = w, o3 = -w, o4 = w + 1, o5 = 1 - w, o6 = w - 1, o7 = -w - 1;
    const S = Math.SQRT1_2;
    let keys = this.heapKey;
    let nodes = this.heapNode;
    let size = this.heapSize;
    let settledHere = 0;
    while (size > 0 && settledHere < budget) {
      const du = keys[0];
      const u = nodes[0];
      size--;
      if (size > 0) {
        const lk = keys[size];
        const ln = nodes[size];
        let i = 0;
        for (;;) {
          const c0 = 4 * i + 1;
          if (c0 >= size) break;
          let c = c0;
          let ck = keys[c0];
          const cEnd = c0 + 4 < size ? c0 + 4 : size;
          for (let cc = c0 + 1; cc < cEnd; cc++) {
            const kk = keys[cc];
            if (kk < ck) {
              ck = kk;
              c = cc;
            }
          }
          if (ck >= lk) break;
          keys[i] = ck;
          nodes[i] = nodes[c];
          i = c;
        }
        keys[i] = lk;
        nodes[i] = ln;
      }
      const pu = pred[u];
      if ((pu & SETTLED) !== 0 || du > dist[u]) continue; // stale entry
      pred[u] = pu | SETTLED;
      settledHere++;
      const cu = cost[u];
      const uy = (u / w) | 0;
      const ux = u - uy * w;
      const interior = ux > 0 && uy > 0 && ux < w - 1 && uy < h - 1;
      for (let d = 0; d < 8; d++) {
        let v: number;
        let half: number;
        if (interior) {
          switch (d) {
            case 0: v = u + o0; half = 0.5; break;
            case 1: v = u + o1; half = 0.5; break;
            case 2: v = u + o2; half = 0.5; break;
            case 3: v = u + o3; half = 0.5; break;
            case 4: v = u + o4; half = S; break;
            case 5: v = u + o5; half = S; break;
            case 6: v = u + o6; half = S; break;
            default: v = u + o7; half = S; break;
          }
        } else {
          const nx = ux + DX[d];
          const ny = uy + DY[d];
          if (nx < 0 || ny < 0 || nx >= w || ny >= h) continue;
          v = nx + ny * w;
          half = HALF_LEN[d];
        }
        const nd = du + (cu + cost[v]) * half;
        if (nd < dist[v] && (pred[v] & SETTLED) === 0) {
          dist[v] = nd;
          pred[v] = d;
          if (size === keys.length) {
            this.heapSize = size;
            this.growHeap();
            keys = this.heapKey;
            nodes = this.heapNode;
          }
          let i = size++;
          while (i > 0) {
            const parent = (i - 1) >> 2;
            const pk = keys[parent];
            if (pk <= nd) break;
            keys[i] = pk;
            nodes[i] = nodes[parent];
            i = parent;
          }
          keys[i] = nd;
          nodes[i] = v;
        }
      }
      if (u === target) break;
    }
    this.heapSize = size;
    this.settledCount += settledHere;
  }
}
