import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/ramify';
import { nativeInflate, readImageFile } from '../../../electron/services/image-file';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { decodeImage } from '../../../shared/image/decode';
import { RamifyError } from '../../../shared/result';
import { fixturePath } from './fixtures';

async function ramify(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'ramify-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ramify inspect', () => {
  it('--json reports shape, calibration and per-page statistics (ImageJ hyperstack)', async () => {
    const file = fixturePath('tiff/galaxy/multi_f.tiff');
    const r = await ramify('inspect', file, '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const j = JSON.parse(r.stdout);
    expect(Object.keys(j)).toEqual(['file', 'format', 'width', 'height', 'pages', 'channels', 'channelNames', 'slices', 'frames', 'bitsPerSample', 'sampleFormat', 'calibration', 'planes', 'timings']);
    expect(j).toMatchObject({ file, format: 'tiff', width: 169, height: 169, pages: 4, channels: 2, slices: 1, frames: 2, bitsPerSample: 16, sampleFormat: 'uint' });
    expect(j.calibration).toEqual({ pixelWidth: expect.closeTo(1 / 8.04878, 9), pixelHeight: expect.closeTo(1 / 8.04878, 9), unit: 'µm', source: 'imagej' });
    expect(j.planes).toEqual([
      { page: 0, min: 0, max: 424, sum: 267807 },
      { page: 1, min: 0, max: 462, sum: 761393 },
      { page: 2, min: 0, max: 262, sum: 217083 },
      { page: 3, min: 0, max: 382, sum: 713106 },
    ]);
    expect(j.timings.readMs).toBeGreaterThanOrEqual(0);
    expect(j.timings.decodeMs).toBeGreaterThan(0);
  });

  it('--json for an uncalibrated file says null', async () => {
    const j = JSON.parse((await ramify('inspect', fixturePath('micrographs/neuronj/neurites.tif'), '--json')).stdout);
    expect(j.calibration).toBeNull();
    expect(j.channelNames).toBeNull();
    expect(j.planes).toEqual([{ page: 0, min: 2, max: 254, sum: 18683504 }]);
  });

  it('names the channels the file names (OME-XML; an ImageXpress wavelength by its illumination)', async () => {
    // tests/fixtures/tiff/ome-colours/make-ome-colours.py writes "MAP2" and "DAPI"; make-plate.py "DAPI & Hoechst".
    const ome = await ramify('inspect', fixturePath('ome-colours/red-blue.ome.tif'));
    expect(ome.stdout).toMatch(/^channels: {4}2: 1 MAP2, 2 DAPI$/m);
    const wavelength = JSON.parse((await ramify('inspect', fixturePath('metaseries/plate/TimePoint_1/Plate1_A01_s2_w2.tif'), '--json')).stdout);
    expect(wavelength.channelNames).toEqual(['DAPI & Hoechst']);
  });

  it('prints aligned key: value lines for a person', async () => {
    const r = await ramify('inspect', fixturePath('micrographs/snt/ddaC.tif'));
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[1]).toBe('format:      tiff');
    expect(lines).toContain('size:        800 × 744 pixels');
    expect(lines).toContain('bit depth:   8-bit uint');
    expect(lines).toContain('calibration: 0.835 × 0.835 µm per pixel (from ImageJ metadata)');
    expect(lines).toContain('planes:      page 1: min 0, max 255, sum 14787705');
    // Every value starts in the same column.
    for (const l of lines) expect(l.slice(0, 13)).toMatch(/^([a-z ]+:)? *$/);
    const plain = await ramify('inspect', fixturePath('micrographs/neuronj/neurites.tif'));
    expect(plain.stdout).toMatch(/^calibration: uncalibrated/m);
    const print = join(dir, 'exported.tif');
    writeFileSync(print, encodeTiff({ width: 4, height: 4, planes: [new Uint8Array(16)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', resolution: { x: 72, y: 72, unit: 'inch' } }));
    expect((await ramify('inspect', print)).stdout.split('\n')).toContain("calibration: 352.778 × 352.778 µm per pixel (from TIFF resolution tags: a print resolution (72 dpi), not a microscope's)");
  });

  it.each([
    ['missing file', () => join(dir, 'nope.tif'), 'no such file'],
    ['directory', () => dir, 'it is a directory, not an image file'],
    ['empty file', () => (writeFileSync(join(dir, 'empty.tif'), ''), join(dir, 'empty.tif')), 'the file is empty (0 bytes)'],
    ['text file', () => (writeFileSync(join(dir, 'notes.txt'), 'hello world, not an image'), join(dir, 'notes.txt')), 'Not a TIFF, PNG or JPEG image (unrecognised file header).'],
    ['Zeiss CZI file (its magic, ZISRAWFILE)', () => (writeFileSync(join(dir, 'cells.czi'), 'ZISRAWFILE\0\0\0\0\0\0'), join(dir, 'cells.czi')), 'A Zeiss CZI file, which Ramify does not read (it reads TIFF, PNG and JPEG). Open it in Fiji (Bio-Formats) and save it as TIFF: its calibration comes along.'],
    ['GIF image', () => (writeFileSync(join(dir, 'cells.gif'), 'GIF89a\x01\0\x01\0'), join(dir, 'cells.gif')), 'A GIF image, which Ramify does not read (it reads TIFF, PNG and JPEG). Save it as TIFF or PNG.'],
    ['unsupported compression', () => fixturePath('tiff/image-rs/seq/seq-1c-1b-fax3-71f6a21a.tiff'), 'TIFF compression CCITT Group 3 fax (3) is not supported'],
  ])('%s: exit 2 and one line on stderr', async (_name, make, reason) => {
    const file = make();
    const r = await ramify('inspect', file, '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr.startsWith(`ramify inspect: cannot read ${file}: ${reason}`)).toBe(true);
  });

  it('no file: usage and exit 1', async () => {
    const r = await ramify('inspect');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Usage: ramify inspect FILE/);
  });
});

describe('readImageFile', () => {
  it('refuses files over maxBytes before reading them', async () => {
    const file = fixturePath('tiff/image-js/palette.tif');
    await expect(readImageFile(file, { maxBytes: 1000 })).rejects.toThrow(RamifyError);
    await expect(readImageFile(file, { maxBytes: 1000 })).rejects.toMatchObject({ code: 'too-large', message: 'the file is 19572 bytes, more than the 1000 bytes Ramify opens' });
    expect((await readImageFile(file)).length).toBe(19572);
  });
});

describe('nativeInflate (Node zlib for Deflate strips)', () => {
  it.each(['tiff/image-js/tile_rgb_deflate.tif', 'tiff/image-rs/random-fp16.tiff'])('decodes %s exactly like the pure-JS path', async (rel) => {
    const bytes = await readImageFile(fixturePath(rel));
    const a = decodeImage(bytes);
    const b = decodeImage(bytes, { inflate: nativeInflate });
    expect(b.pageStats).toEqual(a.pageStats);
    b.planes.forEach((p, k) => expect(Array.from(p as ArrayLike<number>)).toEqual(Array.from(a.planes[k] as ArrayLike<number>)));
  });

  it('damaged Deflate data is a corrupt-file RamifyError', () => {
    const plane = Uint16Array.from({ length: 64 * 64 }, (_, i) => i);
    const bytes = encodeTiff({ width: 64, height: 64, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate' });
    // The single strip starts at byte 8; overwrite its middle.
    bytes.fill(0xff, 40, 80);
    for (const inflate of [undefined, nativeInflate]) {
      let err: unknown;
      try {
        decodeImage(bytes, { inflate });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RamifyError);
      expect((err as RamifyError).code).toBe('corrupt');
    }
  });
});
