/**
 * Binary min-heap of (key, pixel) pairs in typed arrays, for Dijkstra-style searches over image pixels. Decrease-key
 * is done lazily: a pixel may be pushed again with a smaller key and the stale entry is skipped by the caller (its key
 * no longer matches the pixel's best distance).
 */
export class PixelHeap {
  private keys: Float64Array;
  private items: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(Math.max(16, capacity));
    this.items = new Int32Array(Math.max(16, capacity));
  }

  push(key: number, item: number): void {
    if (this.size === this.keys.length) this.grow();
    const keys = this.keys;
    const items = this.items;
    let i = this.size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] <= key) break;
      keys[i] = keys[p];
      items[i] = items[p];
      i = p;
    }
    keys[i] = key;
    items[i] = item;
  }

  /** Key of the smallest entry (heap must be non-empty). */
  peekKey(): number {
    return this.keys[0];
  }

  /** Removes the smallest entry and returns its pixel; its key is peekKey() read before the call. */
  pop(): number {
    const keys = this.keys;
    const items = this.items;
    const top = items[0];
    const n = --this.size;
    if (n > 0) {
      const key = keys[n];
      const item = items[n];
      let i = 0;
      for (;;) {
        let c = 2 * i + 1;
        if (c >= n) break;
        if (c + 1 < n && keys[c + 1] < keys[c]) c++;
        if (keys[c] >= key) break;
        keys[i] = keys[c];
        items[i] = items[c];
        i = c;
      }
      keys[i] = key;
      items[i] = item;
    }
    return top;
  }

  private grow(): void {
    const k = new Float64Array(this.keys.length * 2);
    k.set(this.keys);
    const it = new Int32Array(this.items.length * 2);
    it.set(this.items);
    this.keys = k;
    this.items = it;
  }
}

/**
 * Neighbour steps of the 8-connected grid: dx, dy and step length, in the order every search visits them (ties keep
 * the first). Typed arrays indexed in the hot loops: destructuring tuples there cost several times the search.
 */
export const NEIGHBOUR_DX = Int32Array.of(1, -1, 0, 0, 1, 1, -1, -1);
export const NEIGHBOUR_DY = Int32Array.of(0, 0, 1, -1, 1, -1, 1, -1);
export const NEIGHBOUR_STEP = Float64Array.of(1, 1, 1, 1, Math.SQRT2, Math.SQRT2, Math.SQRT2, Math.SQRT2);

/** Calls visit(q, step) for each 8-neighbour q of pixel p inside the width × height image (step: 1 or √2 px). */
export function forEachNeighbour(p: number, width: number, height: number, visit: (q: number, step: number) => void): void {
  const x = p % width;
  const y = (p - x) / width;
  for (let k = 0; k < 8; k++) {
    const nx = x + NEIGHBOUR_DX[k];
    const ny = y + NEIGHBOUR_DY[k];
    if (nx >= 0 && ny >= 0 && nx < width && ny < height) visit(nx + width * ny, NEIGHBOUR_STEP[k]);
  }
}
