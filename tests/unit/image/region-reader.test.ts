import { describe, expect, it } from 'vitest';
import { cropPlane } from '../../../shared/display/pyramid';
import { memorySource } from '../../../shared/formats/tiff/byte-source';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { TiffRegionReader } from '../../../shared/formats/tiff/region-reader';
import { RamifyError } from '../../../shared/result';
import { countingSource, readReferenceTiff, referenceTiffs, sharedDataRequired } from './fixtures';

const bytesOf = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Index of the first byte where a and b differ, −1 when they are the same. */
function firstDifference(a: Buffer, b: Buffer): number {
  if (a.equals(b)) return -1;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** Rectangles that cross strip, tile and band edges: a corner, a middle, the last rows and columns, one pixel. */
function rects(width: number, height: number) {
  const w = Math.max(1, Math.floor(width / 3));
  const h = Math.max(1, Math.floor(height / 3));
  return [
    { x: 0, y: 0, width, height },
    { x: 0, y: 0, width: w, height: h },
    { x: Math.floor(width / 4), y: Math.floor(height / 5), width: w + 1 > width - Math.floor(width / 4) ? width - Math.floor(width / 4) : w + 1, height: h },
    { x: width - w, y: height - h, width: w, height: h },
    { x: width - 1, y: height - 1, width: 1, height: 1 },
  ];
}

describe.runIf(sharedDataRequired('tiff'))('a TIFF read by rectangles equals the same rectangles of the whole-file decode, on every reference TIFF', () => {
  it.each(referenceTiffs())('%s', async (rel) => {
    const { bytes, whole } = readReferenceTiff(rel);
    if (!whole) return; // files the decoder refuses: stream-decode.test.ts checks the streamed readers refuse them too
    let reader;
    try {
      reader = await TiffRegionReader.open(memorySource(bytes));
    } catch (e) {
      expect((e as RamifyError).code).toBe('not-streamable');
      return;
    }
    const { info } = whole;
    expect(reader.info).toEqual(info);
    const planes = whole.planes.map((_, k) => k);
    for (const r of rects(info.width, info.height)) {
      const got = await reader.read(planes, r);
      got.forEach((a, k) => {
        const want = cropPlane(whole.planes[k], info.width, r.x, r.y, r.width, r.height);
        expect(a.constructor).toBe(want.constructor);
        // Every sample to the last bit (NaN included: compared as bytes; toEqual on megabytes takes minutes).
        expect(a.length).toBe(want.length);
        expect(firstDifference(bytesOf(a), bytesOf(want))).toBe(-1);
      });
    }
  });
});

describe('a window of a large TIFF costs the window, not the file', () => {
  // 2000 × 1500 16-bit, value = (x * 7 + y * 13) mod 65536: 6 MB of pixels, stored uncompressed in strips of 16 rows.
  const width = 2000;
  const height = 1500;
  const plane = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) plane[x + width * y] = (x * 7 + y * 13) % 65536;
  const file = encodeTiff({ width, height, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', rowsPerStrip: 16 });

  it('reads its own rows only (bands of one row), with the values of those pixels', async () => {
    const src = countingSource(file);
    const reader = await TiffRegionReader.open(src, { bandBytes: 1 });
    const header = src.bytesRead;
    const [a] = await reader.read([0], { x: 1200, y: 700, width: 300, height: 100 });
    expect(a.length).toBe(300 * 100);
    expect(a[0]).toBe((1200 * 7 + 700 * 13) % 65536);
    expect(a[299 + 300 * 99]).toBe((1499 * 7 + 799 * 13) % 65536);
    // Rows 700–799: at most 100 rows of 2000 × 2 bytes of a 6 MB file.
    expect(src.bytesRead - header).toBeLessThanOrEqual(100 * width * 2);
  });

  it('a compressed file is read by whole strips: those of the window’s rows', async () => {
    const deflated = encodeTiff({ width, height, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', rowsPerStrip: 16 });
    const src = countingSource(deflated);
    const reader = await TiffRegionReader.open(src, { bandBytes: 1 });
    const [a] = await reader.read([0], { x: 5, y: 1490, width: 10, height: 10 });
    expect(Array.from(a.subarray(0, 3))).toEqual([(5 * 7 + 1490 * 13) % 65536, (6 * 7 + 1490 * 13) % 65536, (7 * 7 + 1490 * 13) % 65536]);
    // Rows 1490–1499 are in the last strip (1488–1499) alone: far less than a tenth of the file is read.
    expect(src.bytesRead).toBeLessThan(deflated.length / 10);
  });

  it('refuses a rectangle that is not inside the image', async () => {
    const reader = await TiffRegionReader.open(memorySource(file));
    await expect(reader.read([0], { x: 1900, y: 0, width: 200, height: 10 })).rejects.toThrow('region 200 × 10 at (1900, 0) is not inside the 2000 × 1500 image');
  });
});
