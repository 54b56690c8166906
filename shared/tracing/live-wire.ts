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
 * Integer costs (as NeuronJ): each pixel's cost c ∈ (0, 1] becomes q = max(1, round(c·COST_QUANTUM)); a straight step
 * between neighbours u, v weighs q_u + q_v and a diagonal one round((q_u + q_v)·√2), i.e. 2·COST_QUANTUM × the float
 * step cost (c_u + c_v)/2 × step length. Distances are exact integers, so the search is Dial's algorithm: a circular
 * array of buckets, one per distance value modulo a power of two above the largest step weight, O(1) per operation.
 * Equal distances are settled last-in first-out, so a search split into budgeted slices makes exactly the same
 * choices as one full search.
 *
 * Memory: 7 bytes per pixel (of a grid padded by one pixel on each side: int32 key, predecessor byte, uint16 q) plus
 * a pool of bucket entries about the size of the search frontier. All typed arrays, so a worker can own it.
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

/** Integer steps per unit of pixel cost. 256 keeps the bucket ring at 1024 entries and resolves cost to 0.4 %. */
export const COST_QUANTUM = 256;

// Neighbour directions; pred stores the index of the step that reached a pixel. 0–3 straight, 4–7 diagonal.
const DX = [1, -1, 0, 0, 1, 1, -1, -1];
const DY = [0, 0, 1, -1, 1, -1, 1, -1];
const PRED_ANCHOR = 8;
const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;

export class LiveWire {
  /** Columns of the cost image. */
  readonly width: number;
  /** Rows of the cost image. */
  readonly height: number;
  /** Row stride of the padded grid (width + 2); padded index = (x + 1) + stride·(y + 1). */
  private readonly stride: number;
  private readonly cost: Float32Array;
  /** Quantised cost q per padded pixel (border: 0, never read as a step end because borders are never relaxed). */
  private readonly q: Uint16Array;
  /**
   * key = top − distance for pixels reached by the current search (larger key = shorter distance). Pixels of earlier
   * searches hold keys below top − maxDistance, so they read as unreached without clearing the array per anchor;
   * the one-pixel border holds INT32_MAX, so no step ever improves it and the inner loop needs no bounds checks.
   */
  private readonly key: Int32Array;
  /** Direction index (0–7) of the step that reached the pixel, or PRED_ANCHOR; valid only where key is current. */
  private readonly pred: Uint8Array;
  /** diagonal[s] = round(s·√2): the weight of a diagonal step with q_u + q_v = s. */
  private readonly diagonal: Int32Array;
  /** Upper bound of any distance in one search: a Chebyshev route of max(w, h) − 1 steps of the largest weight. */
  private readonly maxDistance: number;
  private readonly mask: number;
  private readonly head: Int32Array;
  // Bucket entries: singly linked lists (entryNext) with a free list; a pixel may sit in several buckets (lazy deletion).
  private entryNode: Int32Array;
  private entryNext: Int32Array;
  private entryUsed = 0;
  private freeEntry = -1;
  private queued = 0;
  /** Distance of the bucket being settled. */
  private current = 0;
  private top = INT32_MIN;
  private settledCount = 0;
  /** Padded index of the anchor, −1 before the first setAnchor. */
  private anchorIndex = -1;

  constructor(cost: CostImage, quantum = COST_QUANTUM) {
    const { width, height, data } = cost;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height) {
      throw new RamifyError('invalid-argument', `Cost image of ${width}×${height} with ${data.length} values is inconsistent.`);
    }
    this.width = width;
    this.height = height;
    this.cost = data;
    const stride = width + 2;
    this.stride = stride;
    const n = stride * (height + 2);
    this.q = new Uint16Array(n);
    let qMax = 1;
    for (let y = 0; y < height; y++) {
      const src = y * width;
      const dst = (y + 1) * stride + 1;
      for (let x = 0; x < width; x++) {
        // Costs above 1 (or NaN) are clamped so weights stay small enough for the bucket ring.
        const c = data[src + x];
        const v = c < 1 ? Math.round(c * quantum) : quantum;
        const qv = v >= 1 ? v : 1;
        this.q[dst + x] = qv;
        if (qv > qMax) qMax = qv;
      }
    }
    this.diagonal = new Int32Array(2 * qMax + 1);
    for (let s = 0; s <= 2 * qMax; s++) this.diagonal[s] = Math.round(s * Math.SQRT2);
    const maxStep = this.diagonal[2 * qMax];
    this.maxDistance = Math.max(width, height) * maxStep;
    if (this.maxDistance > 1 << 29) throw new RamifyError('invalid-argument', `A ${width}×${height} image is too large to trace.`);
    let buckets = 1;
    while (buckets <= maxStep) buckets *= 2;
    this.mask = buckets - 1;
    this.head = new Int32Array(buckets).fill(-1);
    this.key = new Int32Array(n).fill(INT32_MIN);
    this.markBorder();
    this.pred = new Uint8Array(n);
    const initial = Math.min(n, 1 << 16);
    this.entryNode = new Int32Array(initial);
    this.entryNext = new Int32Array(initial);
  }

  /** Anchor pixel centre, or null before the first setAnchor. */
  get anchor(): [number, number] | null {
    return this.anchorIndex < 0 ? null : this.centre(this.anchorIndex);
  }

  /** Pixel index (x + width·y) of an image-px point, clamped into the image. */
  pixelIndex(x: number, y: number): number {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new RamifyError('invalid-argument', `Point (${x}, ${y}) is not a position in the image.`);
    const px = Math.min(this.width - 1, Math.max(0, Math.floor(x)));
    const py = Math.min(this.height - 1, Math.max(0, Math.floor(y)));
    return px + this.width * py;
  }

  /**
   * Starts a new search from the pixel under (x, y) and settles up to `budget` pixels (default: all). Further work
   * happens in continueSearch or lazily in pathTo. Costs O(budget), not O(image): nothing is cleared.
   */
  setAnchor(x: number, y: number, budget = Infinity): SearchStats {
    const t0 = performance.now();
    const a = this.padded(this.pixelIndex(x, y));
    if (this.top > INT32_MAX - 2 - 2 * this.maxDistance || this.top === INT32_MIN) {
      // Key space used up (after ~2³¹ / maxDistance anchors) or first use: start again from a cleared array.
      this.key.fill(INT32_MIN);
      this.markBorder();
      this.top = INT32_MIN + this.maxDistance + 1;
    } else {
      this.top += this.maxDistance + 1;
    }
    this.head.fill(-1);
    this.entryUsed = 0;
    this.freeEntry = -1;
    this.queued = 0;
    this.current = 0;
    this.settledCount = 0;
    this.anchorIndex = a;
    this.key[a] = this.top;
    this.pred[a] = PRED_ANCHOR;
    this.push(a, 0);
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
    return this.anchorIndex >= 0 && this.isFinal(this.padded(this.pixelIndex(x, y)));
  }

  /**
   * Cost of the path pathTo returns, in cost-image units: the sum over its steps of (c_u + c_v)/2 × step length
   * (1 or √2) with the unquantised costs. Searches as needed.
   */
  costTo(x: number, y: number): number {
    const path = this.paddedPath(x, y);
    const s = this.stride;
    const c = this.cost;
    const w = this.width;
    const unpad = (p: number) => (p % s) - 1 + w * (((p / s) | 0) - 1);
    let total = 0;
    for (let i = 1; i < path.length; i++) {
      const step = path[i] - path[i - 1];
      const len = step === 1 || step === -1 || step === s || step === -s ? 1 : Math.SQRT2;
      total += ((c[unpad(path[i - 1])] + c[unpad(path[i])]) / 2) * len;
    }
    return total;
  }

  /**
   * Minimum-cost path from the anchor to the pixel under (x, y) as pixel centres, anchor first, cursor last.
   * Extends the search until that pixel is settled, so the answer is always the optimum (of the quantised costs).
   */
  pathTo(x: number, y: number): Array<[number, number]> {
    return this.paddedPath(x, y).map((p) => this.centre(p));
  }

  /** Padded indices of the optimal path, anchor first. */
  private paddedPath(x: number, y: number): number[] {
    this.requireAnchor();
    const t = this.padded(this.pixelIndex(x, y));
    if (!this.isFinal(t)) this.run(Infinity, t);
    const off = this.offsets();
    const rev: number[] = [];
    let v = t;
    // Each step moves to a pixel with a strictly smaller distance, so this reaches the anchor; the guard is a backstop.
    for (let guard = 0; guard <= this.key.length; guard++) {
      rev.push(v);
      const d = this.pred[v];
      if (v === this.anchorIndex || d >= 8) break;
      v -= off[d];
    }
    return rev.reverse();
  }

  /** Distance is final: reached by this search with distance ≤ the bucket being settled (later steps add ≥ 1). */
  private isFinal(p: number): boolean {
    const k = this.key[p];
    return k <= this.top && k >= this.top - this.current;
  }

  private padded(i: number): number {
    const y = (i / this.width) | 0;
    return i - y * this.width + 1 + (y + 1) * this.stride;
  }

  private centre(p: number): [number, number] {
    const y = (p / this.stride) | 0;
    return [p - y * this.stride - 1 + 0.5, y - 1 + 0.5];
  }

  private offsets(): Int32Array {
    const s = this.stride;
    return Int32Array.from(DX, (dx, d) => dx + DY[d] * s);
  }

  private markBorder(): void {
    const s = this.stride;
    const rows = this.height + 2;
    this.key.fill(INT32_MAX, 0, s);
    this.key.fill(INT32_MAX, (rows - 1) * s, rows * s);
    for (let y = 1; y < rows - 1; y++) {
      this.key[y * s] = INT32_MAX;
      this.key[y * s + s - 1] = INT32_MAX;
    }
  }

  private requireAnchor(): void {
    if (this.anchorIndex < 0) throw new RamifyError('invalid-state', 'Live-wire has no anchor; call setAnchor first.');
  }

  private stats(t0: number): SearchStats {
    return { anchor: this.anchor ?? [0, 0], settled: this.settledCount, total: this.width * this.height, done: this.queued === 0, ms: performance.now() - t0 };
  }

  private push(node: number, distance: number): void {
    let e = this.freeEntry;
    if (e >= 0) this.freeEntry = this.entryNext[e];
    else {
      if (this.entryUsed === this.entryNode.length) this.growPool();
      e = this.entryUsed++;
    }
    const b = distance & this.mask;
    this.entryNode[e] = node;
    this.entryNext[e] = this.head[b];
    this.head[b] = e;
    this.queued++;
  }

  /** Doubles the entry pool; the run loop reloads its local references afterwards. */
  private growPool(): void {
    const node = new Int32Array(this.entryNode.length * 2);
    node.set(this.entryNode);
    const next = new Int32Array(this.entryNext.length * 2);
    next.set(this.entryNext);
    this.entryNode = node;
    this.entryNext = next;
  }

  /**
   * Dial's main loop: settles up to `budget` pixels, stopping early once `target` (≥ 0) is settled. Everything is
   * inlined into locals: this loop is the whole cost of a full-image search.
   */
  private run(budget: number, target: number): void {
    const key = this.key;
    const pred = this.pred;
    const q = this.q;
    const diag = this.diagonal;
    const head = this.head;
    const mask = this.mask;
    const top = this.top;
    const s = this.stride;
    let entryNode = this.entryNode;
    let entryNext = this.entryNext;
    let capacity = entryNode.length;
    let used = this.entryUsed;
    let free = this.freeEntry;
    let queued = this.queued;
    let dist = this.current;
    let settledHere = 0;
    while (queued > 0 && settledHere < budget) {
      const b = dist & mask;
      const e = head[b];
      if (e < 0) {
        dist++;
        continue;
      }
      const u = entryNode[e];
      head[b] = entryNext[e];
      entryNext[e] = free;
      free = e;
      queued--;
      const ku = top - dist;
      if (key[u] !== ku) continue; // stale: u was settled at a smaller distance
      settledHere++;
      const qu = q[u];
      for (let d = 0; d < 8; d++) {
        let v: number;
        let wt: number;
        switch (d) {
          case 0: v = u + 1; wt = qu + q[v]; break;
          case 1: v = u - 1; wt = qu + q[v]; break;
          case 2: v = u + s; wt = qu + q[v]; break;
          case 3: v = u - s; wt = qu + q[v]; break;
          case 4: v = u + s + 1; wt = diag[qu + q[v]]; break;
          case 5: v = u - s + 1; wt = diag[qu + q[v]]; break;
          case 6: v = u + s - 1; wt = diag[qu + q[v]]; break;
          default: v = u - s - 1; wt = diag[qu + q[v]]; break;
        }
        const kv = ku - wt;
        if (kv > key[v]) {
          key[v] = kv;
          pred[v] = d;
          let ne = free;
          if (ne >= 0) free = entryNext[ne];
          else {
            if (used === capacity) {
              this.entryNode = entryNode;
              this.entryNext = entryNext;
              this.growPool();
              entryNode = this.entryNode;
              entryNext = this.entryNext;
              capacity = entryNode.length;
            }
            ne = used++;
          }
          const nb = (dist + wt) & mask;
          entryNode[ne] = v;
          entryNext[ne] = head[nb];
          head[nb] = ne;
          queued++;
        }
      }
      if (u === target) break;
    }
    this.entryNode = entryNode;
    this.entryNext = entryNext;
    this.entryUsed = used;
    this.freeEntry = free;
    this.queued = queued;
    this.current = dist;
    this.settledCount += settledHere;
  }
}
