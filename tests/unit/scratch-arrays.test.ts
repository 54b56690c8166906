import { afterEach, describe, expect, it } from 'vitest';
import { borrow, dropSpares, giveBack, spareByteCount } from '../../shared/scratch-arrays';

const N = 1 << 16;
// Identity is asserted as `x === y`: a failed toBe of two typed arrays makes Vitest compare them element by element.

describe('spare arrays for large temporaries', () => {
  afterEach(() => dropSpares());

  it('an array given back is the one the next borrow of its type and length gets; another type or length is new', () => {
    const a = borrow(Float32Array, N);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a.length).toBe(N);
    giveBack(a);
    expect(spareByteCount()).toBe(4 * N);
    expect((borrow(Float64Array, N) as unknown) === a).toBe(false);
    expect(borrow(Float32Array, N + 1) === a).toBe(false);
    expect(borrow(Float32Array, N) === a).toBe(true);
    expect(spareByteCount()).toBe(0);
    // Taken, it is no longer spare: the next borrow is a new array.
    expect(borrow(Float32Array, N) === a).toBe(false);
  });

  it('keeps only what is worth keeping: no small arrays, no views, no array twice, six of a type, the latest length', () => {
    giveBack(new Float32Array(N - 1));
    const big = new Float32Array(2 * N);
    giveBack(big.subarray(0, N), big.subarray(N));
    expect(spareByteCount()).toBe(0);
    const a = new Int32Array(N);
    giveBack(a, a);
    expect(spareByteCount()).toBe(4 * N);
    const more = [1, 2, 3, 4, 5, 6].map(() => new Int32Array(N));
    giveBack(...more);
    // Seven given back, six kept: the oldest (a) went.
    expect(spareByteCount()).toBe(24 * N);
    const taken = [1, 2, 3, 4, 5, 6, 7].map(() => borrow(Int32Array, N));
    expect(more.every((m) => taken.slice(0, 6).includes(m))).toBe(true);
    expect(taken.includes(a)).toBe(false);
    // Another length replaces the spares of its type (a plane of another size would not ask for them again).
    giveBack(new Uint8Array(N), new Uint8Array(N));
    const other = new Uint8Array(2 * N);
    giveBack(other);
    expect(spareByteCount()).toBe(2 * N);
    expect(borrow(Uint8Array, N) === other).toBe(false);
    expect(borrow(Uint8Array, 2 * N) === other).toBe(true);
  });

  it('holds at most 160 MiB in all: over that, the oldest of the largest type goes', () => {
    const n = 8 * 2 ** 20; // 32 MiB as Float32, 64 MiB as Float64
    const f64 = [new Float64Array(n), new Float64Array(n)];
    const f32 = [new Float32Array(n), new Float32Array(n)];
    giveBack(...f32, ...f64);
    // 64 + 128 MiB given back: the first Float64Array went, 32 + 32 + 64 kept.
    expect(spareByteCount()).toBe(128 * 2 ** 20);
    expect(borrow(Float64Array, n) === f64[1]).toBe(true);
    expect(borrow(Float64Array, n) === f64[0]).toBe(false);
  });
});
