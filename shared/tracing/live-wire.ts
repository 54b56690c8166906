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
 * Memory: 8 bytes per pixel of a grid padded by one pixel on each side (int32 key and int32 quantised cost +
 * predecessor, interleaved) plus a pool of bucket entries about the size of the search frontier. All typed arrays, so
 * a worker can own it. A new anchor costs O(1), not O(image): keys of older searches are recognised as stale rather
 * than cleared.
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

/** Integer steps per unit of pixel cost: resolves cost to 1/4096, enough that paths match float Dijkstra's. */
export const COST_QUANTUM = 4096;

// Neighbour directions; a pixel's pred is the index of the step that reached it. 0–3 straight, 4–7 diagonal.
const DX = [1, -1, 0, 0, 1, 1, -1, -1];
const DY = [0, 0, 1, -1, 1, -1, 1, -1];
const PRED_ANCHOR = 8;
const PRED_SHIFT = 16;
const Q_MASK = 0xffff;
const KEY_MAX = 0x7fffffff;
const KEY_MIN = -0x80000000;

export class LiveWire {
  /** Columns of the cost image. */
  readonly width: number;
  /** Rows of the cost image. */
  readonly height: number;
  /** Row stride of the padded grid (width + 2); padded pixel p = (x + 1) + stride·(y + 1). */
  private readonly stride: number;
  private readonly cost: Float32Array;
  /**
   * Two int32 per padded pixel p, interleaved so that a neighbour costs one cache line:
   * cell[2p] = key = top − distance for pixels reached by the current search (larger key = shorter distance). Pixels
   * of earlier searches hold keys below top − maxDistance, so they read as unreached without clearing the array per
   * anchor; the one-pixel border holds KEY_MAX, so no step improves it and the inner loop needs no bounds checks.
   * cell[2p + 1] = q | pred << 16: the quantised cost (1..COST_QUANTUM; 0 on the border) and the direction index of
   * the step that reached p (valid only where the key is current; PRED_ANCHOR on the anchor). Measured faster than
   * separate key and cost arrays: on large images the search frontier outgrows the caches.
   */
  private readonly cell: Int32Array;
  /** Cell offsets of the 8 neighbours (2 × pixel offset). */
  private readonly cellOffsets: Int32Array;
  /** diagonal[s] = round(s·√2): the weight of a diagonal step with q_u + q_v = s. */
  private readonly diagonal: Int32Array;
  /** Upper bound of any distance in one search: a Chebyshev route of max(w, h) steps of the largest weight. */
  private readonly maxDistance: number;
  /** Buckets − 1; buckets is a power of two above the largest step weight, so live distances never collide. */
  private readonly mask: number;
  /** First entry of each bucket's list, −1 if empty. */
  private readonly head: Int32Array;
  // Bucket entries: singly linked lists (entryNext) with a free list; a pixel may sit in several buckets (lazy deletion).
  private entryNode: Int32Array;
  private entryNext: Int32Array;
  private entryUsed = 0;
  private freeEntry = -1;
  private queued = 0;
  /** Distance of the bucket being settled. */
  private current = 0;
  private top = KEY_MIN;
  private settledCount = 0;
  /** Cell index (2 × padded pixel) of the anchor, −1 before the first setAnchor. */
  private anchorCell = -1;

  constructor(cost: CostImage) {
    const { width, height, data } = cost;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height) {
      throw new RamifyError('invalid-argument', `Cost image of ${width}×${height} with ${data.length} values is inconsistent.`);
    }
    this.width = width;
    this.height = height;
    this.cost = data;
    const stride = width + 2;
    this.stride = stride;
    const cell = new Int32Array(2 * stride * (height + 2));
    this.cell = cell;
    let qMax = 1;
    for (let y = 0; y < height; y++) {
      const src = y * width;
      const dst = 2 * ((y + 1) * stride + 1);
      for (let x = 0; x < width; x++) {
        // Costs above 1 (or NaN) count as 1, so weights stay within the bucket ring.
        const c = data[src + x];
        const v = c < 1 ? Math.round(c * COST_QUANTUM) : COST_QUANTUM;
        const q = v >= 1 ? v : 1;
        cell[dst + 2 * x + 1] = q;
        if (q > qMax) qMax = q;
      }
    }
    this.cellOffsets = Int32Array.from(DX, (dx, d) => 2 * (dx + DY[d] * stride));
    this.diagonal = new Int32Array(2 * qMax + 1);
    for (let s = 0; s <= 2 * qMax; s++) this.diagonal[s] = Math.round(s * Math.SQRT2);
    const maxStep = this.diagonal[2 * qMax];
    this.maxDistance = Math.max(width, height) * maxStep;
    if (this.maxDistance > 1 << 29) throw new RamifyError('invalid-argument', `A ${width}×${height} image is too large to trace.`);
    let buckets = 1;
    while (buckets <= maxStep) buckets *= 2;
    this.mask = buckets - 1;
    this.head = new Int32Array(buckets).fill(-1);
    const initial = Math.min(cell.length, 1 << 16);
    this.entryNode = new Int32Array(initial);
    this.entryNext = new Int32Array(initial);
  }

  /** Anchor pixel centre, or null before the first setAnchor. */
  get anchor(): [number, number] | null {
    return this.anchorCell < 0 ? null : this.centre(this.anchorCell);
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
   * happens in continueSearch or lazily in pathTo. Costs O(budget), not O(image): nothing is cleared (except once
   * every ~2³² / maxDistance anchors, when the key space wraps).
   */
  setAnchor(x: number, y: number, budget = Infinity): SearchStats {
    const t0 = performance.now();
    const a = this.cellOf(x, y);
    if (this.top === KEY_MIN || this.top > KEY_MAX - 2 - 2 * this.maxDistance) {
      // First search, or key space used up (after ~2³² / maxDistance anchors): start again from cleared keys.
      this.resetKeys();
      this.top = KEY_MIN + this.maxDistance + 1;
    } else {
      this.top += this.maxDistance + 1;
    }
    this.current = 0;
    this.settledCount = 0;
    this.anchorCell = a;
    this.cell[a] = this.top;
    this.cell[a + 1] = (this.cell[a + 1] & Q_MASK) | (PRED_ANCHOR << PRED_SHIFT);
    // The queue holds just the anchor: entry 0 in bucket 0.
    this.head.fill(-1);
    this.head[0] = 0;
    this.entryNode[0] = a;
    this.entryNext[0] = -1;
    this.entryUsed = 1;
    this.freeEntry = -1;
    this.queued = 1;
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
    return this.anchorCell >= 0 && this.isFinal(this.cellOf(x, y));
  }

  /**
   * Cost of the path pathTo returns, in cost-image units: the sum over its steps of (c_u + c_v)/2 × step length
   * (1 or √2) with the unquantised costs. Searches as needed.
   */
  costTo(x: number, y: number): number {
    const path = this.cellPath(x, y);
    const c = this.cost;
    let total = 0;
    for (let i = 1; i < path.length; i++) {
      const [ax, ay] = this.centre(path[i - 1]);
      const [bx, by] = this.centre(path[i]);
      const len = ax === bx || ay === by ? 1 : Math.SQRT2;
      total += ((c[ax - 0.5 + this.width * (ay - 0.5)] + c[bx - 0.5 + this.width * (by - 0.5)]) / 2) * len;
    }
    return total;
  }

  /**
   * Minimum-cost path from the anchor to the pixel under (x, y) as pixel centres, anchor first, cursor last.
   * Extends the search until that pixel is settled, so the answer is always the optimum (of the quantised costs).
   */
  pathTo(x: number, y: number): Array<[number, number]> {
    return this.cellPath(x, y).map((p) => this.centre(p));
  }

  /** Cell indices of the optimal path, anchor first. */
  private cellPath(x: number, y: number): number[] {
    this.requireAnchor();
    const t = this.cellOf(x, y);
    if (!this.isFinal(t)) this.run(Infinity, t);
    const cell = this.cell;
    const off = this.cellOffsets;
    const rev: number[] = [];
    let v = t;
    // Each step moves to a pixel with a strictly smaller distance, so this reaches the anchor; the guard is a backstop.
    for (let guard = 0; guard <= cell.length; guard++) {
      rev.push(v);
      const d = cell[v + 1] >>> PRED_SHIFT;
      if (v === this.anchorCell || d >= 8) break;
      v -= off[d];
    }
    return rev.reverse();
  }

  /** Distance is final: reached by this search with distance ≤ the bucket being settled (later steps add ≥ 1). */
  private isFinal(c: number): boolean {
    const k = this.cell[c];
    return k <= this.top && k >= this.top - this.current;
  }

  /** Cell index of the pixel under an image-px point (clamped). */
  private cellOf(x: number, y: number): number {
    const i = this.pixelIndex(x, y);
    const py = (i / this.width) | 0;
    return 2 * (i - py * this.width + 1 + (py + 1) * this.stride);
  }

  /** Pixel centre (image px) of a cell index. */
  private centre(c: number): [number, number] {
    const p = c >> 1;
    const y = (p / this.stride) | 0;
    return [p - y * this.stride - 1 + 0.5, y - 1 + 0.5];
  }

  /** All keys to "unreached", the border to KEY_MAX. */
  private resetKeys(): void {
    const cell = this.cell;
    const s = this.stride;
    const rows = this.height + 2;
    for (let y = 0; y < rows; y++) {
      const border = y === 0 || y === rows - 1;
      for (let x = 0; x < s; x++) cell[2 * (y * s + x)] = border || x === 0 || x === s - 1 ? KEY_MAX : KEY_MIN;
    }
  }

  private requireAnchor(): void {
    if (this.anchorCell < 0) throw new RamifyError('invalid-state', 'Live-wire has no anchor; call setAnchor first.');
  }

  private stats(t0: number): SearchStats {
    return { anchor: this.anchor ?? [0, 0], settled: this.settledCount, total: this.width * this.height, done: this.queued === 0, ms: performance.now() - t0 };
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
    const cell = this.cell;
    const diag = this.diagonal;
    const head = this.head;
    const mask = this.mask;
    const top = this.top;
    const off = this.cellOffsets;
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
      if (cell[u] !== ku) continue; // stale: u was settled at a smaller distance
      settledHere++;
      const qu = cell[u + 1] & Q_MASK;
      for (let d = 0; d < 8; d++) {
        const v = u + off[d];
        const qv = cell[v + 1] & Q_MASK;
        const wt = d < 4 ? qu + qv : diag[qu + qv];
        const kv = ku - wt;
        if (kv > cell[v]) {
          cell[v] = kv;
          cell[v + 1] = qv | (d << PRED_SHIFT);
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
