/**
 * Large typed arrays that a computation needs only while it runs, kept for the next computation that asks for one of
 * the same type and length.
 *
 * Why: a browser maps every large ArrayBuffer afresh and returns its memory when the buffer is collected, so each page
 * of a new array faults when first written. On the 2-core machines Ramify is measured on that costs about 2.6 ms per
 * MB, and a cold automatic trace of a 1024² plane made about 165 MB of arrays, most of them temporaries: about half a
 * second of the worker's time went to faulting memory in (Node's allocator reuses freed memory, so its bench did not
 * show it).
 *
 * Rules for callers: borrow and give back within one synchronous run (nothing borrowed survives an await or is
 * returned), and read nothing the caller has not written: a borrowed array holds whatever its last user left.
 */
export type ScratchArray = Float32Array | Float64Array | Int32Array | Uint8Array;
type ScratchConstructor<T extends ScratchArray> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

/** Below this many elements an array is cheap to allocate (the allocator's small buckets are reused). */
const MIN_LENGTH = 1 << 16;
/**
 * Spare arrays of one type kept at most: the most a trace holds at once (the search's parents and labels while its
 * decomposition holds four more Int32Arrays).
 */
const SPARE_PER_TYPE = 6;
/**
 * Spare bytes kept at most, all types together: an automatic trace's temporaries come to about 54 bytes a pixel
 * (57 MB on a 1024² plane, against the 30 MB its tracer keeps); a 2048² plane's fit in part.
 */
const SPARE_BYTES = 160 * 2 ** 20;

const spares = new Map<ScratchConstructor<ScratchArray>, ScratchArray[]>();
let spareBytes = 0;

/** An array of `length` elements with unspecified contents: a spare one of that type and length when there is one. */
export function borrow<T extends ScratchArray>(type: ScratchConstructor<T>, length: number): T {
  const list = spares.get(type);
  const k = list ? list.findIndex((a) => a.length === length) : -1;
  if (!list || k < 0) return new type(length);
  const [found] = list.splice(k, 1);
  spareBytes -= found.byteLength;
  return found as T;
}

/** Hands arrays back for reuse; the caller must hold no other reference to them. */
export function giveBack(...arrays: ScratchArray[]): void {
  for (const a of arrays) {
    if (a.length < MIN_LENGTH || a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength) continue;
    const type = a.constructor as ScratchConstructor<ScratchArray>;
    let list = spares.get(type) ?? [];
    if (list.includes(a)) continue;
    // Only the latest length is kept: a plane of another size (a live-wire window, the next image) would never ask
    // for the others again.
    if (list.some((b) => b.length !== a.length)) {
      for (const b of list) if (b.length !== a.length) spareBytes -= b.byteLength;
      list = list.filter((b) => b.length === a.length);
    }
    list.push(a);
    spares.set(type, list);
    spareBytes += a.byteLength;
    if (list.length > SPARE_PER_TYPE) spareBytes -= list.shift()!.byteLength;
  }
  // Over the cap, the oldest spares of the largest type go first.
  while (spareBytes > SPARE_BYTES) {
    let largest: ScratchArray[] | null = null;
    for (const list of spares.values()) if (list.length > 0 && (!largest || bytesOf(list) > bytesOf(largest))) largest = list;
    if (!largest) break;
    spareBytes -= largest.shift()!.byteLength;
  }
}

/** Lets every spare array go. */
export function dropSpares(): void {
  spares.clear();
  spareBytes = 0;
}

/** Bytes held in spare arrays now. */
export function spareByteCount(): number {
  return spareBytes;
}

function bytesOf(list: ScratchArray[]): number {
  return list.reduce((s, a) => s + a.byteLength, 0);
}
