import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../shared/image/decode';
import { RamifyError } from '../../../shared/result';
import { fixturePath, SHARED_DATA, sharedDataRequired } from './fixtures';

// Every TIFF of the reference data either decodes to tifffile's pixels (per-page min/max/sum of series 0, from
// tests/fixtures/tiff/reference-stats.json) or fails with a RamifyError that names what is unsupported. Its channels
// are tifffile's samples less the alpha samples the file declares (tests/fixtures/tiff/alpha-samples.json).
interface Reference {
  axes: string;
  shape: number[];
  dtype: string;
  compression: number;
  pages: Array<[number, number, number]>;
}
const reference: Record<string, Reference> = JSON.parse(readFileSync(fixturePath('reference-stats.json'), 'utf8'));
const alphaSamples: Record<string, number> = JSON.parse(readFileSync(fixturePath('alpha-samples.json'), 'utf8'));
/** The display ImageJ saved in the files that have one (tests/fixtures/tiff/make-imagej-display.py). */
const imagejDisplays: Record<string, { ranges?: number[][]; colors?: string[] }> = JSON.parse(readFileSync(fixturePath('imagej-display.json'), 'utf8'));

/** Compressions Ramify rejects on purpose, with the name its message must contain. */
const UNSUPPORTED: Record<number, string> = { 3: 'CCITT Group 3 fax (3)' };
/**
 * JPEG (7) is lossy and the reference was decoded by libjpeg, whose integer IDCT rounds differently from jpeg-js's:
 * samples may differ by ±1 per coded component, up to ±3 after YCbCr → RGB (1 + 1.772 for blue). So extremes may
 * move by 3 and the mean by a small fraction of a level (quad-tile.jpg.tiff: 0.035).
 */
const LOSSY = new Set([7]);

describe.runIf(sharedDataRequired('tiff'))('every TIFF in shared/data decodes or says why not', () => {
  it('the reference data is present (../shared/data from the repo root)', () => {
    expect(existsSync(join(SHARED_DATA, 'tiff'))).toBe(true);
  });

  it('the reference covers every file', () => {
    expect(Object.keys(reference).length).toBe(153);
  });

  it.each(Object.keys(reference))('%s', (rel) => {
    const ref = reference[rel];
    const bytes = new Uint8Array(readFileSync(join(SHARED_DATA, rel)));
    if (UNSUPPORTED[ref.compression]) {
      expect(() => decodeImage(bytes)).toThrow(RamifyError);
      expect(() => decodeImage(bytes)).toThrow(`TIFF compression ${UNSUPPORTED[ref.compression]} is not supported`);
      return;
    }
    const img = decodeImage(bytes);
    const size = (axes: string) => [...ref.axes].reduce((n, a, k) => (axes.includes(a) ? n * ref.shape[k] : n), 1);
    expect([img.info.width, img.info.height]).toEqual([size('X'), size('Y')]);
    expect(img.info.channels).toBe(size('CS') - (alphaSamples[rel] ?? 0));
    const saved = imagejDisplays[rel];
    if (saved?.ranges) expect(img.info.displayRanges).toEqual(saved.ranges.map(([min, max]) => ({ min, max })));
    expect(img.info.channelColors).toEqual(saved?.colors);
    expect(img.info.slices * img.info.frames).toBe(size('ZTIQ'));
    if (ref.axes.includes('T')) expect(img.info.frames).toBe(size('T'));
    expect(img.pageStats).toHaveLength(ref.pages.length);
    if (LOSSY.has(ref.compression)) {
      const samples = ref.shape.reduce((a, b) => a * b, 1) / ref.pages.length;
      ref.pages.forEach(([min, max, sum], k) => {
        const s = img.pageStats[k];
        expect(Math.abs(s.min - min)).toBeLessThanOrEqual(3);
        expect(Math.abs(s.max - max)).toBeLessThanOrEqual(3);
        expect(Math.abs(s.sum - sum) / samples).toBeLessThan(0.1);
      });
      return;
    }
    ref.pages.forEach(([min, max, sum], k) => {
      const s = img.pageStats[k];
      expect(s.min).toBeCloseTo(min, 9);
      expect(s.max).toBeCloseTo(max, 9);
      expect(Math.abs(s.sum - sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(sum)));
    });
  });
});
