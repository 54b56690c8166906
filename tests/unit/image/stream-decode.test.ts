import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../shared/formats/tiff/byte-source';
import { PageBandReader } from '../../../shared/formats/tiff/band-reader';
import { tiffHeaderOf } from '../../../shared/formats/tiff/decode';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { parseTiffStructureFrom } from '../../../shared/formats/tiff/ranged-structure';
import { streamTiffStats } from '../../../shared/formats/tiff/stream-stats';
import { decodeImage } from '../../../shared/image/decode';
import { RamifyError } from '../../../shared/result';
import { countingSource, readReferenceTiff, referenceTiffs, sharedDataRequired } from './fixtures';

describe.runIf(sharedDataRequired('tiff'))('streamed statistics (ramify inspect) equal the whole-file decode on every reference TIFF', () => {
  it.each(referenceTiffs())('%s', async (rel) => {
    const { bytes, whole } = readReferenceTiff(rel);
    if (!whole) {
      // Files the decoder refuses are refused by the streamed reader too (old-style JPEG is read whole instead).
      await expect(streamTiffStats(memorySource(bytes))).rejects.toBeInstanceOf(RamifyError);
      return;
    }
    let streamed;
    try {
      // Bands of one block row each: as many band boundaries as the file has strips or tile rows.
      streamed = await streamTiffStats(memorySource(bytes), { bandBytes: 1 });
    } catch (e) {
      expect((e as RamifyError).code).toBe('not-streamable');
      return;
    }
    expect(streamed.info).toEqual(whole.info);
    // toEqual treats NaN as equal to NaN (all-NaN float pages); every number must match to the last bit.
    expect(streamed.pageStats).toEqual(whole.pageStats);
  });
});

/** A 16-bit ramp with a feature that cannot come out right by accident: v = (x * 7 + y * 13) mod 65536. */
function ramp(width: number, height: number): Uint16Array {
  const a = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) a[y * width + x] = (x * 7 + y * 13) & 0xffff;
  return a;
}

describe('reading a large tiled TIFF by ranges', () => {
  // 2000 × 1500, 16-bit, Deflate, 256² tiles: 8 × 6 = 48 tiles, the last column and row padded.
  const W = 2000;
  const H = 1500;
  const TILE = 256;
  const plane = ramp(W, H);
  const file = encodeTiff({ width: W, height: H, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', tileSize: TILE });

  it('statistics by hand: min 0, max and sum of the ramp, equal to the whole-file decode', async () => {
    let max = 0;
    let sum = 0;
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      const v = (x * 7 + y * 13) & 0xffff;
      max = Math.max(max, v);
      sum += v;
    }
    const src = countingSource(file);
    const bandSizes: number[] = [];
    const { pageStats } = await streamTiffStats(src, { bandBytes: 1, onBand: (n) => bandSizes.push(n) });
    expect(pageStats).toEqual([{ page: 0, min: 0, max, sum }]);
    expect(pageStats).toEqual(decodeImage(file).pageStats);
    // One tile row at a time: never more than width × tile height samples held, 6 bands for 6 tile rows.
    expect(bandSizes).toHaveLength(6);
    expect(Math.max(...bandSizes)).toBe(W * TILE * 2);
    // Every tile read once, plus the directory (read in 64 KiB chunks), and no read larger than a tile row's tiles.
    const page = tiffHeaderOf(await parseTiffStructureFrom(memorySource(file))).pages[0];
    const tileBytes = page.byteCounts.reduce((a, b) => a + b, 0);
    expect(src.bytesRead).toBeGreaterThanOrEqual(tileBytes);
    expect(src.bytesRead).toBeLessThanOrEqual(tileBytes + 3 * 64 * 1024);
    const rowOfTiles = Math.max(...Array.from({ length: 6 }, (_, r) => page.byteCounts.slice(r * 8, r * 8 + 8).reduce((a, b) => a + b, 0)));
    expect(src.largestRead).toBeLessThanOrEqual(Math.max(rowOfTiles, 64 * 1024));
  });

  it('a rectangle decodes only the tiles it touches, reading only their bytes', async () => {
    const src = countingSource(file);
    const structure = await parseTiffStructureFrom(src);
    const header = tiffHeaderOf(structure);
    const page = header.pages[0];
    const metadataBytes = src.bytesRead;
    const reader = new PageBandReader(structure, page, src, { bandBytes: 1 });
    // Rows 512..767 (tile row 2), columns 300..700: tiles 1 and 2 of that row.
    const band = await reader.rect(2, 300, 700);
    expect(band.y0).toBe(512);
    expect(band.rows).toBe(256);
    const got = band.planes[0];
    expect(got.length).toBe(400 * 256);
    for (const [x, y] of [[300, 512], [699, 767], [511, 600], [512, 600]]) expect(got[(y - 512) * 400 + x - 300]).toBe((x * 7 + y * 13) & 0xffff);
    const tiles = [2 * page.blocksAcross + 1, 2 * page.blocksAcross + 2];
    const expected = tiles.reduce((n, b) => n + page.byteCounts[b], 0);
    expect(src.bytesRead - metadataBytes).toBe(expected);
  });

  it('the bottom-right tile, padded in the file, comes back clipped to the image', async () => {
    const src = countingSource(file);
    const structure = await parseTiffStructureFrom(src);
    const reader = new PageBandReader(structure, tiffHeaderOf(structure).pages[0], src, { bandBytes: 1 });
    const band = await reader.rect(5, 1792, W);
    expect(band.rows).toBe(H - 1280);
    expect(band.planes[0].length).toBe((W - 1792) * (H - 1280));
    expect(band.planes[0][band.planes[0].length - 1]).toBe(((W - 1) * 7 + (H - 1) * 13) & 0xffff);
  });

  it('reads the directory in a few small reads, not the file', async () => {
    const src = countingSource(file);
    await parseTiffStructureFrom(src);
    // The IFD sits after the pixel data: the reader seeks to it instead of reading up to it.
    expect(src.bytesRead).toBeLessThanOrEqual(3 * 64 * 1024);
    expect(src.reads.length).toBeLessThanOrEqual(4);
  });
});

describe('uncompressed strips are read by the row', () => {
  it('one huge strip (as ImageJ writes) is still read a band at a time', async () => {
    const W = 1000;
    const H = 900;
    const plane = ramp(W, H);
    const file = encodeTiff({ width: W, height: H, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', rowsPerStrip: H });
    const src = countingSource(file);
    const sizes: number[] = [];
    const { pageStats } = await streamTiffStats(src, { bandBytes: 100 * W * 2, onBand: (n) => sizes.push(n) });
    expect(pageStats).toEqual(decodeImage(file).pageStats);
    expect(sizes).toHaveLength(9);
    expect(Math.max(...sizes)).toBe(100 * W * 2);
  });
});
