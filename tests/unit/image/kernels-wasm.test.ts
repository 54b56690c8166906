import { constants, deflateRawSync, deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateWasm, kernelsWasmAvailable, statsWasm } from '../../../shared/formats/tiff/kernels-wasm';
import { pageStats, type StatsKind } from '../../../shared/image/stats';
import { RamifyError } from '../../../shared/result';
import { seededRandom } from '../../../shared/random';

// The WebAssembly Deflate decoder (build/tools/tiff-kernels.c) against Node's zlib as the independent encoder and
// reference; its statistics against the JavaScript pageStats.

/** Bytes that compress like image rows: runs, repeats at many distances, and noise of varying strength. */
function imageLike(n: number, seed: number): Uint8Array {
  const rand = seededRandom(seed);
  const a = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const mode = (i >> 11) % 4;
    if (mode === 0) a[i] = Math.floor(rand() * 256);
    else if (mode === 1) a[i] = i > 300 && rand() < 0.9 ? a[i - 1 - Math.floor(rand() * 300)] : Math.floor(rand() * 256);
    else if (mode === 2) a[i] = 100 + Math.floor(rand() * 4);
    else a[i] = i % 7 === 0 ? Math.floor(rand() * 256) : (a[i - 1] ?? 0);
  }
  return a;
}

const options = [{ level: 0 }, { level: 1 }, { level: 6 }, { level: 9 }, { strategy: constants.Z_HUFFMAN_ONLY }, { strategy: constants.Z_FIXED }, { strategy: constants.Z_RLE }];

describe('WebAssembly inflate', () => {
  it('is available in Node', () => {
    expect(kernelsWasmAvailable()).toBe(true);
  });

  it.each(options.map((o, i) => [JSON.stringify(o), o, i] as const))('round-trips zlib and raw streams from Node zlib %s', (_name, opts, k) => {
    for (const size of [1, 7, 300, 65536, 200_003]) {
      const raw = imageLike(size, 31 * k + size);
      for (const z of [deflateSync(raw, opts), deflateRawSync(raw, opts)]) {
        const dst = new Uint8Array(size);
        expect(inflateWasm(new Uint8Array(z), dst)).toBe(size);
        expect(Buffer.compare(Buffer.from(dst), Buffer.from(raw))).toBe(0);
      }
    }
  });

  it('stops when the strip is full (extra data ignored, as libtiff does)', () => {
    const raw = imageLike(50_000, 5);
    const dst = new Uint8Array(12_345);
    expect(inflateWasm(new Uint8Array(deflateSync(raw)), dst)).toBe(12_345);
    expect(Buffer.compare(Buffer.from(dst), Buffer.from(raw.subarray(0, 12_345)))).toBe(0);
  });

  it('returns the decodable prefix of a truncated stream', () => {
    const raw = imageLike(100_000, 6);
    const z = new Uint8Array(deflateSync(raw, { level: 6 }));
    const dst = new Uint8Array(raw.length);
    const got = inflateWasm(z.subarray(0, z.length >> 1), dst);
    expect(got).toBeGreaterThan(10_000);
    expect(got).toBeLessThan(raw.length);
    expect(Buffer.compare(Buffer.from(dst.subarray(0, got)), Buffer.from(raw.subarray(0, got)))).toBe(0);
  });

  it('rejects invalid data as a corrupt TIFF', () => {
    // A zlib header, then block type 3 (reserved).
    const bad = Uint8Array.from([0x78, 0x9c, 0x07, 0x00]);
    expect(() => inflateWasm(bad, new Uint8Array(10))).toThrow(RamifyError);
    expect(() => inflateWasm(bad, new Uint8Array(10))).toThrow(/^Corrupt TIFF: Deflate data cannot be decoded/);
    // Raw fixed-Huffman block whose first symbol is a match (length 3, distance 1) before any output:
    // bits 1 (final), 1 0 (fixed), 0000001 (code 257), 00000 (distance code 0), then end of block.
    const early = Uint8Array.from([0x03, 0x02, 0x00, 0x00]);
    expect(() => inflateWasm(early, new Uint8Array(10))).toThrow(/^Corrupt TIFF: Deflate data cannot be decoded \(invalid code or distance\)/);
  });
});

describe('WebAssembly sample statistics equal pageStats', () => {
  const kinds: Array<[StatsKind, (b: ArrayBuffer) => Uint8Array | Int8Array | Uint16Array | Int16Array]> = [
    ['uint8', (b) => new Uint8Array(b)],
    ['int8', (b) => new Int8Array(b)],
    ['uint16', (b) => new Uint16Array(b)],
    ['int16', (b) => new Int16Array(b)],
  ];
  it.each(kinds)('%s', (kind, view) => {
    const rand = seededRandom(kind.length);
    for (const n of [1, 3, 4095, 4096, 4097, 100_001]) {
      const bytes = new Uint8Array(n * (kind.endsWith('16') ? 2 : 1));
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
      const ref = pageStats(0, [view(bytes.buffer)]);
      expect(statsWasm(kind, bytes)).toEqual({ min: ref.min, max: ref.max, sum: ref.sum });
    }
    // Extremes: all samples at the type's maximum (the 32-bit partial sums must not overflow).
    const max = new Uint8Array(8192 * 2).fill(kind === 'int8' || kind === 'int16' ? 0x7f : 0xff);
    if (kind === 'int16') for (let i = 0; i < max.length; i += 2) max[i] = 0xff;
    const ref = pageStats(0, [view(max.buffer)]);
    expect(statsWasm(kind, max)).toEqual({ min: ref.min, max: ref.max, sum: ref.sum });
  });
});
