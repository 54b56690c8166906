import { kernelsWasmAvailable, statsWasm } from '../formats/tiff/kernels-wasm';
import type { PageStats, PixelArray } from './types';

interface Acc {
  min: number;
  max: number;
  sum: number;
}

/**
 * Min, max and sum over all samples of one page's planes (NaN samples are skipped, so float images with
 * "no data" NaNs still report their valid range). An empty or all-NaN page reports NaN for all three.
 */
export function pageStats(page: number, planes: PixelArray[]): PageStats {
  const acc: Acc = { min: Infinity, max: -Infinity, sum: 0 };
  for (const a of planes) {
    if (a instanceof Uint8Array || a instanceof Uint16Array || a instanceof Int8Array || a instanceof Int16Array) smallInt(a, acc);
    else if (a instanceof Float32Array || a instanceof Float64Array) float(a, acc);
    else wideInt(a, acc);
  }
  if (acc.min === Infinity) return { page, min: NaN, max: NaN, sum: NaN };
  return { page, min: acc.min, max: acc.max, sum: acc.sum };
}

/**
 * ≤16-bit integers: sums of 16384-sample chunks stay below 2^31, so the hot loop runs in int32 arithmetic and
 * only each chunk's total is added to the double. (One function per array type keeps each loop monomorphic.)
 */
function smallInt(a: Uint8Array | Uint16Array | Int8Array | Int16Array, acc: Acc): void {
  if (a instanceof Uint16Array) return u16(a, acc);
  if (a instanceof Uint8Array) return u8(a, acc);
  if (a instanceof Int16Array) return i16(a, acc);
  return i8(a, acc);
}

const CHUNK = 16384;

function u16(a: Uint16Array, acc: Acc): void {
  const n = a.length;
  if (n === 0) return;
  // Four samples per step into two min/max pairs and two sums: independent chains the CPU can overlap (about a
  // quarter faster than one chain). 16384-sample chunks keep each int32 sum below 2^31.
  let lo0 = 65535;
  let hi0 = 0;
  let lo1 = 65535;
  let hi1 = 0;
  let sum = 0;
  const n4 = n & ~3;
  for (let start = 0; start < n4; start += CHUNK) {
    const end = Math.min(n4, start + CHUNK);
    let s0 = 0;
    let s1 = 0;
    for (let i = start; i < end; i += 4) {
      const v0 = a[i];
      const v1 = a[i + 1];
      const v2 = a[i + 2];
      const v3 = a[i + 3];
      s0 = (s0 + v0 + v1) | 0;
      s1 = (s1 + v2 + v3) | 0;
      if (v0 < lo0) lo0 = v0;
      if (v0 > hi0) hi0 = v0;
      if (v1 < lo1) lo1 = v1;
      if (v1 > hi1) hi1 = v1;
      if (v2 < lo0) lo0 = v2;
      if (v2 > hi0) hi0 = v2;
      if (v3 < lo1) lo1 = v3;
      if (v3 > hi1) hi1 = v3;
    }
    sum += s0 + s1;
  }
  for (let i = n4; i < n; i++) {
    const v = a[i];
    sum += v;
    if (v < lo0) lo0 = v;
    if (v > hi0) hi0 = v;
  }
  merge(acc, Math.min(lo0, lo1), Math.max(hi0, hi1), sum);
}

function u8(a: Uint8Array, acc: Acc): void {
  const n = a.length;
  if (n === 0) return;
  let lo = a[0] | 0;
  let hi = lo;
  let sum = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    let s = 0;
    for (let i = start; i < end; i++) {
      const v = a[i];
      s = (s + v) | 0;
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    sum += s;
  }
  merge(acc, lo, hi, sum);
}

function i16(a: Int16Array, acc: Acc): void {
  const n = a.length;
  if (n === 0) return;
  let lo = a[0] | 0;
  let hi = lo;
  let sum = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const end = Math.min(n, start + CHUNK);
    let s = 0;
    for (let i = start; i < end; i++) {
      const v = a[i];
      s = (s + v) | 0;
      if (v < lo) lo = v;
      else if (v > hi) hi = v;
    }
    sum += s;
  }
  merge(acc, lo, hi, sum);
}

function i8(a: Int8Array, acc: Acc): void {
  const n = a.length;
  if (n === 0) return;
  let lo = a[0] | 0;
  let hi = lo;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    sum += v;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  merge(acc, lo, hi, sum);
}

function wideInt(a: Uint32Array | Int32Array, acc: Acc): void {
  const n = a.length;
  if (n === 0) return;
  let lo = a[0];
  let hi = lo;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i];
    sum += v;
    if (v < lo) lo = v;
    else if (v > hi) hi = v;
  }
  merge(acc, lo, hi, sum);
}

function float(a: Float32Array | Float64Array, acc: Acc): void {
  let lo = Infinity;
  let hi = -Infinity;
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i];
    if (v !== v) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    sum += v;
  }
  if (lo !== Infinity) merge(acc, lo, hi, sum);
}

function merge(acc: Acc, lo: number, hi: number, sum: number): void {
  if (lo < acc.min) acc.min = lo;
  if (hi > acc.max) acc.max = hi;
  acc.sum += sum;
}

/** Min, max and sum of some samples; merged exactly for integers (sums stay far below 2^53). */
export interface PartialStats {
  min: number;
  max: number;
  sum: number;
}

/** Integer sample types whose statistics can be gathered piecewise and merged exactly. */
export type StatsKind = 'uint8' | 'int8' | 'uint16' | 'int16';

/** Statistics of host-order bytes read as `kind` samples (byte offset and length aligned to the sample size). */
export function bytesStats(kind: StatsKind, bytes: Uint8Array): PartialStats | null {
  if (bytes.length === 0) return null;
  // The WebAssembly kernel (SIMD) is about 4× this loop's speed, copy included.
  if (kernelsWasmAvailable()) return statsWasm(kind, bytes);
  let view: PixelArray;
  if (kind === 'uint8') view = bytes;
  else if (kind === 'int8') view = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  else if (kind === 'uint16') view = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  else view = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length >> 1);
  const s = pageStats(0, [view]);
  return { min: s.min, max: s.max, sum: s.sum };
}

export function mergeStats(a: PartialStats | null, b: PartialStats | null): PartialStats | null {
  if (!a) return b && { ...b };
  if (!b) return a;
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max), sum: a.sum + b.sum };
}

/**
 * pageStats of a page whose planes arrive a band of rows at a time (`ramify inspect` on images too large to hold):
 * each plane's samples are visited in the same row-major order and summed in the same order as pageStats does over
 * the whole plane, so the result is identical, floats included.
 */
export class StreamedPageStats {
  private readonly planes: Acc[] = [];

  /** The next rows of `plane` (row-major, following the rows added before). */
  add(plane: number, samples: PixelArray): void {
    const acc = (this.planes[plane] ??= { min: Infinity, max: -Infinity, sum: 0 });
    if (samples.length === 0) return;
    if (samples instanceof Float32Array || samples instanceof Float64Array || samples instanceof Uint32Array || samples instanceof Int32Array) {
      // Continue the plane's one running sum, as pageStats' single loop over the plane does.
      let { min: lo, max: hi, sum } = acc;
      const isFloat = !(samples instanceof Uint32Array || samples instanceof Int32Array);
      for (let i = 0; i < samples.length; i++) {
        const v = samples[i];
        if (isFloat && v !== v) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        sum += v;
      }
      acc.min = lo;
      acc.max = hi;
      acc.sum = sum;
      return;
    }
    // ≤16-bit integers: every partial sum is an exact integer, so the order of addition cannot change the result.
    smallInt(samples, acc);
  }

  result(page: number): PageStats {
    const acc: Acc = { min: Infinity, max: -Infinity, sum: 0 };
    for (const p of this.planes) if (p && p.min !== Infinity) merge(acc, p.min, p.max, p.sum);
    if (acc.min === Infinity) return { page, min: NaN, max: NaN, sum: NaN };
    return { page, min: acc.min, max: acc.max, sum: acc.sum };
  }
}
