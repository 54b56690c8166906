import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StripDecodePool } from '../../../shared/formats/tiff/decode-parallel';
import { runStripJob, type StripJob, toStripJobError } from '../../../shared/formats/tiff/strip-job';
import { upsampleLikeLibjpeg, ycbcrToRgb } from '../../../shared/formats/tiff/jpeg-block';
import { decodeImage, decodeImageParallel } from '../../../shared/image/decode';
import type { DecodedImage } from '../../../shared/image/types';
import { parseTiffStructure } from '../../../shared/formats/tiff/ifd';
import { RamifyError } from '../../../shared/result';
import { fixturePath, readFixture } from './fixtures';

// ZSTD (50000) and JPEG (7) TIFFs made by tiffcp from synthetic sources, and an old-style JPEG (6) laid out by hand
// (tests/fixtures/tiff/codecs/make-codec-fixtures.py); each X.expected.tif holds the pixels libtiff (with libzstd /
// libjpeg-turbo) decodes X to.
interface Case {
  expected: string;
  lossless: boolean;
  tiffcp: string;
}
const manifest: Record<string, Case> = JSON.parse(readFileSync(fixturePath('codecs/manifest.json'), 'utf8'));

/** Largest |ours − libtiff| over all samples, and the share of samples that are equal. */
function compare(ours: DecodedImage, ref: DecodedImage): { maxDiff: number; exact: number } {
  let maxDiff = 0;
  let same = 0;
  let n = 0;
  ours.planes.forEach((p, c) => {
    const r = ref.planes[c];
    for (let i = 0; i < p.length; i++) {
      const d = Math.abs(Number(p[i]) - Number(r[i]));
      if (d > maxDiff) maxDiff = d;
      if (d === 0) same++;
      n++;
    }
  });
  return { maxDiff, exact: same / n };
}

/** Runs jobs in this thread through structuredClone, as a worker pool would post them. */
const clonePool: StripDecodePool = {
  concurrency: 2,
  async decodeStrips(job: StripJob) {
    try {
      return structuredClone(runStripJob(structuredClone(job)));
    } catch (e) {
      throw toStripJobError(e);
    }
  },
};

describe('ZSTD and JPEG TIFFs decode to what libtiff reads', () => {
  it.each(Object.keys(manifest))('%s', async (file) => {
    const c = manifest[file];
    const ours = decodeImage(readFixture(`codecs/${file}`));
    const ref = decodeImage(readFixture(`codecs/${c.expected}`));
    expect([ours.info.width, ours.info.height, ours.info.channels, ours.info.bitsPerSample, ours.info.sampleFormat]).toEqual([
      ref.info.width, ref.info.height, ref.info.channels, ref.info.bitsPerSample, ref.info.sampleFormat,
    ]);
    const { maxDiff, exact } = compare(ours, ref);
    if (c.lossless) {
      expect(maxDiff).toBe(0);
      expect(ours.pageStats).toEqual(ref.pageStats);
    } else {
      // jpeg-js's IDCT rounds differently from libjpeg's: ±1 per coded component; YCbCr → RGB scales a chroma
      // difference by up to 1.772, so ±3 for colour stored as YCbCr. Almost all samples still agree exactly.
      expect(maxDiff).toBeLessThanOrEqual(c.tiffcp.includes(':r') || ours.planes.length === 1 ? 1 : 3);
      expect(exact).toBeGreaterThan(0.85);
    }
    // The worker path (jobs posted by structured clone) gives the same result as decoding in one thread.
    const pooled = await decodeImageParallel(readFixture(`codecs/${file}`), clonePool, { minBytes: 0, jobBytes: 1 });
    expect(compare(pooled, ours).maxDiff).toBe(0);
    expect(pooled.pageStats).toEqual(ours.pageStats);
  });

  it('a ZSTD TIFF cut short says the file is incomplete and how much is there', () => {
    const bytes = readFixture('codecs/zstd-u16-predictor.tif');
    const cut = bytes.slice(0, 2000);
    expect(() => decodeImage(cut)).toThrow(RamifyError);
    expect(() => decodeImage(cut)).toThrow(/incomplete \(truncated: 2000 bytes of at least \d+\)/);
  });
});

describe('libjpeg-style upsampling and colour conversion (hand-computed values)', () => {
  it('2×1 "fancy" upsampling weighs the nearer sample 3:1, with libjpeg\'s rounding', () => {
    // Coded chroma row [0, 100, 40]: jpeg-js repeats each sample (fx = 2) over 6 pixels.
    const plane = Uint8Array.from([0, 0, 100, 100, 40, 40]);
    // libjpeg h2v1: [0, (0·3+100+2)>>2, (100·3+0+1)>>2, (100·3+40+2)>>2, (40·3+100+1)>>2, 40]
    expect([...upsampleLikeLibjpeg(plane, 6, 1, 2, 1)]).toEqual([0, 25, 75, 85, 55, 40]);
  });

  it('2×2 upsampling mixes the nearer row 3:1 and the nearer column 3:1 (bias 8 and 7)', () => {
    // 6×2 pixels from coded 3×1 samples [0, 160, 16]; one coded row, so the neighbouring row is itself.
    const plane = Uint8Array.from([0, 0, 160, 160, 16, 16, 0, 0, 160, 160, 16, 16]);
    // Column sums 4·s: [0, 640, 64]; outputs (3·this + neighbour + 8 or 7) >> 4, first/last column 4·this.
    const row = [0, (0 * 3 + 640 + 7) >> 4, (640 * 3 + 0 + 8) >> 4, (640 * 3 + 64 + 7) >> 4, (64 * 3 + 640 + 8) >> 4, (64 * 4 + 7) >> 4];
    expect(row).toEqual([0, 40, 120, 124, 52, 16]);
    expect([...upsampleLikeLibjpeg(plane, 6, 2, 2, 2)]).toEqual([...row, ...row]);
  });

  it('YCbCr → RGB matches libjpeg\'s integer conversion', () => {
    // Y 100, Cb 200, Cr 50: R = 100 + round(1.402·−78) = −9 → 0; G = 100 + ((−0.34414·72 − 0.71414·−78)·2^16 + 2^15) >> 16
    // = 100 + 31 = 131 (30.98… rounds to 31); B = 100 + round(1.772·72) = 228.
    const y = Uint8Array.from([100, 0, 255]);
    const cb = Uint8Array.from([200, 128, 128]);
    const cr = Uint8Array.from([50, 128, 128]);
    ycbcrToRgb(y, cb, cr);
    expect([y[0], cb[0], cr[0]]).toEqual([0, 131, 228]);
    expect([y[1], cb[1], cr[1], y[2], cb[2], cr[2]]).toEqual([0, 0, 0, 255, 255, 255]);
  });
});

describe('hostile JPEG-in-TIFF', () => {
  it('a strip whose JPEG claims more pixels than the strip holds is refused before decoding (as libtiff does)', () => {
    const bytes = readFixture('codecs/jpeg-gray.tif');
    // Patch the first strip's SOF height (rows per strip 16) to 60000.
    let sof = -1;
    for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xc0) { sof = i; break; }
    expect(sof).toBeGreaterThan(0);
    const bad = bytes.slice();
    bad[sof + 5] = 60000 >> 8;
    bad[sof + 6] = 60000 & 255;
    expect(() => decodeImage(bad)).toThrow(RamifyError);
    expect(() => decodeImage(bad)).toThrow('Corrupt TIFF: JPEG data cannot be decoded (a 99×60000 JPEG in a 99×16 strip or tile).');
  });
});

describe('old-style JPEG (6)', () => {
  it('is refused, naming what is missing, when JPEGInterchangeFormat does not hold a whole JPEG stream', () => {
    const bytes = readFixture('codecs/ojpeg-ycbcr.tif');
    const t = parseTiffStructure(bytes);
    // JPEGInterchangeFormatLength (514) cut to 20 bytes: SOI and part of the first table, no scan.
    const at = t.ifds[0].entries.get(514)!.dataOffset;
    const cut = bytes.slice();
    new DataView(cut.buffer).setUint32(at, 20, true);
    expect(() => decodeImage(cut)).toThrow(RamifyError);
    expect(() => decodeImage(cut)).toThrow(/^TIFF compression old-style JPEG \(6\) without a complete JPEGInterchangeFormat stream is not supported — /);
  });
});
