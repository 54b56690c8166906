import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NodeDecodePool } from '../../../electron/services/decode-pool';
import { loadImageFile } from '../../../electron/services/image-file';
import { nativeInflate } from '../../../electron/services/native-inflate';
import { decodeWithZlibThreads } from '../../../electron/services/zlib-threads';
import type { StripDecodePool } from '../../../shared/formats/tiff/decode-parallel';
import { blockCount } from '../../../shared/formats/tiff/decode-page';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { parseTiffStructure } from '../../../shared/formats/tiff/ifd';
import { readPageLayout } from '../../../shared/formats/tiff/page';
import { runStripJob, type StripJob, type StripResult, toStripJobError } from '../../../shared/formats/tiff/strip-job';
import { inflateFflate } from '../../../shared/formats/tiff/inflate';
import { decodeImage, decodeImageParallel, type DecodeOptions } from '../../../shared/image/decode';
import type { DecodedImage } from '../../../shared/image/types';
import { RamifyError } from '../../../shared/result';
import { syntheticNeurons } from '../../../build/tools/synthetic-neuron';
import { fixturePath, readFixture } from './fixtures';

/**
 * An in-process pool: each job goes through structuredClone (as a postMessage would) and jobs finish in reverse
 * order of submission, so reassembly and error ordering cannot lean on completion order.
 */
function reversingPool(inflate?: DecodeOptions['inflate']): StripDecodePool & { jobs: number } {
  const waiting: Array<() => void> = [];
  const pool = {
    concurrency: 2,
    jobs: 0,
    decodeStrips(job: StripJob): Promise<StripResult> {
      pool.jobs++;
      const copy = structuredClone(job);
      return new Promise((resolve, reject) => {
        waiting.push(() => {
          try {
            resolve(structuredClone(runStripJob(copy, inflate)));
          } catch (e) {
            reject(toStripJobError(e));
          }
        });
        // Run all queued jobs, newest first, once the decoder has submitted every job of this tick.
        if (waiting.length === 1) queueMicrotask(() => setTimeout(() => { while (waiting.length) waiting.pop()!(); }, 0));
      });
    },
  };
  return pool;
}

function expectSameImage(par: DecodedImage, seq: DecodedImage): void {
  expect(par.info).toEqual(seq.info);
  expect(par.pageStats).toEqual(seq.pageStats);
  expect(par.planes.length).toBe(seq.planes.length);
  par.planes.forEach((p, i) => {
    expect(p.constructor).toBe(seq.planes[i].constructor);
    expect(Buffer.from(p.buffer, p.byteOffset, p.byteLength).equals(Buffer.from(seq.planes[i].buffer, seq.planes[i].byteOffset, seq.planes[i].byteLength))).toBe(true);
  });
}

// Reference statistics from tifffile + imagecodecs (tests/fixtures/tiff/make-reference.py), independent of Ramify.
const reference = JSON.parse(readFileSync(fixturePath('reference-stats.json'), 'utf8')) as Record<string, { pages: number[][] }>;

const compressedFixtures: Array<[string, string]> = [
  ['8-bit LZW + predictor', 'tiff/image-js/grey8-lzw.tif'],
  ['RGB 8-bit LZW + predictor', 'tiff/image-js/color8-lzw.tif'],
  ['RGB 16-bit LZW', 'tiff/image-js/color16-lzw.tif'],
  ['RGB 16-bit Deflate, tiled', 'tiff/image-js/tile_rgb_deflate.tif'],
  ['16-bit PackBits', 'tiff/image-rs/issue_69_packbits.tiff'],
  ['planar RGB LZW', 'tiff/image-rs/planar-rgb-u8.tif'],
  ['tiled RGB LZW + predictor', 'tiff/image-rs/tiled-rgb-u8.tif'],
  ['tiled 8-bit LZW', 'tiff/image-rs/seq/seq-1c-8b-tiled-lzw-20f3db0c.tiff'],
  ['float32 LZW + floating-point predictor', 'tiff/image-rs/predictor-3-gray-f32.tif'],
  ['float16 Deflate', 'tiff/image-rs/random-fp16.tiff'],
];

describe('decodeImageParallel (strip jobs reassembled)', () => {
  it.each(compressedFixtures)('%s: same planes and pageStats as decodeImage, stats match tifffile', async (_name, rel) => {
    const bytes = readFixture(rel);
    const pool = reversingPool();
    // One block per job, so every strip/tile crosses a job boundary.
    const par = await decodeImageParallel(bytes, pool, { minBytes: 0, jobBytes: 1 });
    const t = parseTiffStructure(bytes);
    expect(pool.jobs).toBe(par.info.pages * blockCount(readPageLayout(t, t.ifds[0], 0)));
    expectSameImage(par, decodeImage(bytes));
    const [min, max, sum] = reference[rel].pages[0];
    expect(par.pageStats[0].min).toBe(min);
    expect(par.pageStats[0].max).toBe(max);
    expect(par.pageStats[0].sum).toBeCloseTo(sum, 6);
  });

  // A ramp 0..W*H-1 has exactly computable statistics: min 0, max n-1, sum n(n-1)/2.
  const W = 256;
  const H = 200;
  const ramp = Uint16Array.from({ length: W * H }, (_, i) => i);
  const n = W * H;
  const variants = [
    ['LZW', 'lzw', false],
    ['LZW + predictor', 'lzw', true],
    ['Deflate', 'deflate', false],
    ['Deflate + predictor', 'deflate', true],
  ] as const;

  it.each(variants)('%s, 3 pages in 20-row strips: exact ramp statistics per page', async (_n, compression, predictor) => {
    const planes = [ramp, ramp.map((v) => 65535 - (v % 1000)), ramp.map((v) => v >> 4)];
    const bytes = encodeTiff({ width: W, height: H, planes, bitsPerSample: 16, sampleFormat: 'uint', compression, predictor, rowsPerStrip: 20 });
    const pool = reversingPool();
    const par = await decodeImageParallel(bytes, pool, { minBytes: 0, jobBytes: 1 });
    expect(pool.jobs).toBeGreaterThanOrEqual(6);
    expectSameImage(par, decodeImage(bytes));
    expect(par.pageStats[0]).toEqual({ page: 0, min: 0, max: n - 1, sum: (n * (n - 1)) / 2 });
    // v % 1000 over 0..51199: 51 full cycles (sum 499500 each) plus 0..199 (sum 19900) → 25494400.
    expect(par.pageStats[1]).toEqual({ page: 1, min: 65535 - 999, max: 65535, sum: 65535 * n - 25494400 });
    // v >> 4: each of 0..3199 appears 16 times → 16 · 3199·3200/2.
    expect(par.pageStats[2]).toEqual({ page: 2, min: 0, max: 3199, sum: 16 * 3199 * 1600 });
  });

  it('reports progress up to 1', async () => {
    const bytes = encodeTiff({ width: W, height: H, planes: [ramp], bitsPerSample: 16, sampleFormat: 'uint', compression: 'lzw', rowsPerStrip: 10 });
    const seen: number[] = [];
    await decodeImageParallel(bytes, reversingPool(), { minBytes: 0, jobBytes: 1, onProgress: (f) => seen.push(f) });
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.at(-1)).toBe(1);
  });

  it('small files and non-TIFFs take the single-threaded path (the pool is not used)', async () => {
    const bytes = encodeTiff({ width: W, height: H, planes: [ramp], bitsPerSample: 16, sampleFormat: 'uint', compression: 'lzw' });
    const pool = reversingPool();
    const img = await decodeImageParallel(bytes, pool);
    expect(pool.jobs).toBe(0);
    expect(img.pageStats[0].sum).toBe((n * (n - 1)) / 2);
  });
});

/** Offsets and counts of page 0's strips. */
function strips(bytes: Uint8Array): { offsets: number[]; counts: number[] } {
  const t = parseTiffStructure(bytes);
  const p = readPageLayout(t, t.ifds[0], 0);
  return { offsets: p.offsets, counts: p.byteCounts };
}

async function errorOf(p: Promise<unknown> | (() => unknown)): Promise<RamifyError> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (e) {
    expect(e).toBeInstanceOf(RamifyError);
    return e as RamifyError;
  }
  throw new Error('expected a RamifyError');
}

describe('NodeDecodePool (worker_threads)', () => {
  const pool = new NodeDecodePool(2);
  afterAll(() => pool.close());
  const size = 384;
  const neuron = syntheticNeurons({ seed: 7, width: size, height: size }).channels[0];

  it.each([
    ['lzw', false],
    ['lzw', true],
    ['deflate', false],
    ['deflate', true],
  ] as const)('%s (predictor %s): byte-identical to the single-threaded decode', async (compression, predictor) => {
    const bytes = encodeTiff({ width: size, height: size, planes: [neuron, neuron.map((v) => v ^ 0x5a5a)], bitsPerSample: 16, sampleFormat: 'uint', compression, predictor, rowsPerStrip: 16 });
    const par = await decodeImageParallel(bytes, pool, { minBytes: 0, jobBytes: 20000, inflate: nativeInflate });
    expectSameImage(par, decodeImage(bytes, { inflate: nativeInflate }));
    expect(Array.from(par.planes[0].subarray(0, 4))).toEqual(Array.from(neuron.subarray(0, 4)));
  });

  it('loadImageFile with a pool decodes a file over 4 MiB through it, same as on one thread', async () => {
    // Noise does not compress: 1500² 16-bit samples make a ~5 MB LZW file.
    let x = 12345;
    const noise = Uint16Array.from({ length: 1500 * 1500 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 16));
    const bytes = encodeTiff({ width: 1500, height: 1500, planes: [noise], bitsPerSample: 16, sampleFormat: 'uint', compression: 'lzw' });
    expect(bytes.length).toBeGreaterThan(4 * 1024 * 1024);
    const dir = mkdtempSync(join(tmpdir(), 'ramify-pool-'));
    try {
      const file = join(dir, 'noise.tif');
      writeFileSync(file, bytes);
      let jobs = 0;
      const counting: StripDecodePool = { concurrency: pool.concurrency, decodeStrips: (job) => (jobs++, pool.decodeStrips(job)) };
      const par = await loadImageFile(file, { pool: counting });
      expect(jobs).toBeGreaterThan(1);
      expectSameImage(par.image, (await loadImageFile(file, { pool: null })).image);
      expect(par.image.planes[0][1499 * 1500 + 1499]).toBe(noise[1499 * 1500 + 1499]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(compressedFixtures)('%s: byte-identical through workers', async (_name, rel) => {
    const bytes = readFixture(rel);
    expectSameImage(await decodeImageParallel(bytes, pool, { minBytes: 0, jobBytes: 1, inflate: nativeInflate }), decodeImage(bytes, { inflate: nativeInflate }));
  });

  // Two different faults in different jobs: whichever job finishes first, the error must be the first strip's.
  const allOnes = (bytes: Uint8Array, at: number) => bytes.fill(0xff, at, at + 8); // code 511 at 9 bits: not in the table yet
  const endAtOnce = (bytes: Uint8Array, at: number) => bytes.set([0x80, 0x40, 0x40], at); // 9-bit ClearCode (256), EndOfInformation (257): no data, whatever follows
  const stripBytes = 16 * size * 2;
  it.each([
    ['an invalid LZW code in strip 6, an empty strip 18', allOnes, endAtOnce, 'Corrupt TIFF: LZW code 511 is not in the table (next free 258).'],
    ['an empty strip 6, an invalid LZW code in strip 18', endAtOnce, allOnes, `Corrupt TIFF (page 1): strip 6 holds 0 of ${stripBytes} bytes (truncated or damaged file).`],
  ])('%s: fails with the single-threaded message for the first bad strip', async (_name, first, second, message) => {
    const bytes = encodeTiff({ width: size, height: size, planes: [neuron], bitsPerSample: 16, sampleFormat: 'uint', compression: 'lzw', rowsPerStrip: 16 });
    const { offsets } = strips(bytes);
    first(bytes, offsets[5]);
    second(bytes, offsets[17]);
    const seq = await errorOf(() => decodeImage(bytes));
    expect([seq.code, seq.message]).toEqual(['corrupt', message]);
    for (const jobBytes of [1, 50000]) {
      const par = await errorOf(decodeImageParallel(bytes, pool, { minBytes: 0, jobBytes }));
      expect([par.code, par.message]).toEqual([seq.code, seq.message]);
      // The in-process pool finishes jobs in reverse order, so the later fault is seen first.
      const rev = await errorOf(decodeImageParallel(bytes, reversingPool(), { minBytes: 0, jobBytes }));
      expect([rev.code, rev.message]).toEqual([seq.code, seq.message]);
    }
  });

  it('damaged Deflate data fails with the same message as native zlib on this thread', async () => {
    const bytes = encodeTiff({ width: size, height: size, planes: [neuron], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', rowsPerStrip: 16 });
    const { offsets } = strips(bytes);
    bytes.fill(0xff, offsets[3] + 2, offsets[3] + 40);
    const seq = await errorOf(() => decodeImage(bytes, { inflate: nativeInflate }));
    expect(seq.code).toBe('corrupt');
    expect(seq.message).toMatch(/^Corrupt TIFF: Deflate data cannot be decoded/);
    const par = await errorOf(decodeImageParallel(bytes, pool, { minBytes: 0, jobBytes: 1, inflate: nativeInflate }));
    expect([par.code, par.message]).toEqual([seq.code, seq.message]);
  });
});

describe('the browser pool\'s Deflate: the WebAssembly kernel, as strip.worker.ts runs it', () => {
  /** An in-process pool running jobs as strip.worker.ts does (default inflate: WebAssembly). */
  const wasmPool: StripDecodePool = { concurrency: 2, decodeStrips: async (job) => runStripJob(structuredClone(job)) };
  const size = 200;
  const neuron = syntheticNeurons({ seed: 3, width: size, height: size }).channels[0];

  it.each([false, true])('Deflate (predictor %s): the source pixels, and the same planes and stats as fflate and zlib', async (predictor) => {
    const bytes = encodeTiff({ width: size, height: size, planes: [neuron], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', predictor, rowsPerStrip: 8 });
    const pooled = await decodeImageParallel(bytes, wasmPool, { minBytes: 0, jobBytes: 30000 });
    expect(pooled.planes[0]).toEqual(neuron);
    expectSameImage(pooled, decodeImage(bytes, { inflate: inflateFflate }));
    expectSameImage(pooled, decodeImage(bytes, { inflate: nativeInflate }));
  });

  it('tiled Adobe Deflate fixture: same as fflate', async () => {
    const bytes = readFixture('tiff/image-js/tile_rgb_deflate.tif');
    expectSameImage(await decodeImageParallel(bytes, wasmPool, { minBytes: 0, jobBytes: 1 }), decodeImage(bytes, { inflate: inflateFflate }));
  });

  it('a damaged stream gives the same error in the pool as on one thread', async () => {
    const bytes = encodeTiff({ width: size, height: size, planes: [neuron], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', rowsPerStrip: 8 });
    const { offsets } = strips(bytes);
    const damaged = bytes.slice();
    damaged.fill(0xff, offsets[4] + 2, offsets[4] + 40);
    const seq = await errorOf(() => decodeImage(damaged));
    expect(seq.message).toMatch(/^Corrupt TIFF: Deflate data cannot be decoded \(/);
    const par = await errorOf(decodeImageParallel(damaged, wasmPool, { minBytes: 0, jobBytes: 1 }));
    expect([par.code, par.message]).toEqual([seq.code, seq.message]);
  });
});

describe('decodeWithZlibThreads (Deflate strips decompressed ahead on zlib\'s thread pool)', () => {
  const size = 300;
  const neuron = syntheticNeurons({ seed: 4, width: size, height: size }).channels[0];

  it.each([false, true])('Deflate (predictor %s): the source pixels, and the same planes and stats as decodeImage', async (predictor) => {
    const bytes = encodeTiff({ width: size, height: size, planes: [neuron], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', predictor, rowsPerStrip: 8 });
    const ahead = await decodeWithZlibThreads(bytes);
    expect(ahead).not.toBeNull();
    expect(ahead!.planes[0]).toEqual(neuron);
    expectSameImage(ahead!, decodeImage(bytes, { inflate: nativeInflate }));
  });

  it('tiled Adobe Deflate fixture: same as decodeImage', async () => {
    const bytes = readFixture('tiff/image-js/tile_rgb_deflate.tif');
    expectSameImage((await decodeWithZlibThreads(bytes))!, decodeImage(bytes));
  });

  it('does not apply to other compressions or to unreadable files (decodeImage handles those)', async () => {
    expect(await decodeWithZlibThreads(encodeTiff({ width: 8, height: 8, planes: [neuron.subarray(0, 64)], bitsPerSample: 16, sampleFormat: 'uint', compression: 'lzw' }))).toBeNull();
    expect(await decodeWithZlibThreads(Uint8Array.from([0x49, 0x49, 42, 0]))).toBeNull();
  });

  it('a damaged strip gives decodeImage\'s error', async () => {
    const bytes = encodeTiff({ width: size, height: size, planes: [neuron], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', rowsPerStrip: 8 });
    const { offsets } = strips(bytes);
    bytes.fill(0xff, offsets[5] + 2, offsets[5] + 40);
    const seq = await errorOf(() => decodeImage(bytes, { inflate: nativeInflate }));
    const ahead = await errorOf(decodeWithZlibThreads(bytes));
    expect([ahead.code, ahead.message]).toEqual([seq.code, seq.message]);
  });
});
