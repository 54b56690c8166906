import { describe, expect, it } from 'vitest';
import { computeHistogram } from '../../../shared/display/histogram';
import { channelNames, openingChannels } from '../../../shared/display/opening-display';
import { decodeImage, readImageInfo } from '../../../shared/image/decode';
import { planeIndex, type DecodedImage } from '../../../shared/image/types';
import { RamifyError } from '../../../shared/result';
import { readFixture } from './fixtures';

// Expected values were derived with tifffile 2026.3.3 + imagecodecs (tests/fixtures/tiff/make-reference.py) and
// tiffinfo, independently of Ramify's decoder: per-page min/max/sum over all stored samples, and the tags for
// calibration (ImageJ: unit and 1/XResolution; OME: PhysicalSizeX; else resolution tags in inch/cm).

interface Expect {
  width: number;
  height: number;
  pages: number;
  channels: number;
  slices?: number;
  frames?: number;
  bits: number;
  format: 'uint' | 'int' | 'float';
  /** Sum of every page's samples, in page order (all pages, or the first ones). */
  sums: number[];
  min: number;
  max: number;
  /** µm per pixel and source, or null when the file has no usable calibration. */
  cal: { px: number; source: string; z?: number } | null;
}

const cases: Array<[string, string, Expect]> = [
  ['8-bit ImageJ with LUT (NeuronJ neurites)', 'micrographs/neuronj/neurites.tif', { width: 706, height: 456, pages: 1, channels: 1, bits: 8, format: 'uint', sums: [18683504], min: 2, max: 254, cal: null }],
  ['8-bit ImageJ MinIsWhite, unit um (SNT ddaC)', 'micrographs/snt/ddaC.tif', { width: 800, height: 744, pages: 1, channels: 1, bits: 8, format: 'uint', sums: [14787705], min: 0, max: 255, cal: { px: 0.835, source: 'imagej' } }], // XResolution 1197604/1000000: ImageJ's 1/0.835 = 1.19760479… truncated to 6 decimals
  ['16-bit SCIFIO, resolution in cm', 'tiff/galaxy/input2_yx.tiff', { width: 205, height: 84, pages: 1, channels: 1, bits: 16, format: 'uint', sums: [269768233], min: 6614, max: 43716, cal: { px: 10000 / 3846.152, source: 'resolution' } }],
  ['ImageJ hyperstack TCYX 16-bit', 'tiff/galaxy/multi_f.tiff', { width: 169, height: 169, pages: 4, channels: 2, slices: 1, frames: 2, bits: 16, format: 'uint', sums: [267807, 761393, 217083, 713106], min: 0, max: 462, cal: { px: 1 / 8.04878, source: 'imagej', z: 0.125 } }],
  ['ImageJ ZCYX big-endian 8-bit, unit \\u00B5m', 'tiff/galaxy/zcyx.tiff', { width: 50, height: 50, pages: 50, channels: 2, slices: 25, frames: 1, bits: 8, format: 'uint', sums: [8605, 11544, 11649, 17206, 15134, 23958], min: 0, max: 220, cal: { px: 1 / 2.295473, source: 'imagej', z: 0.05445500181716341 } }],
  ['ImageJ float32 channels', 'tiff/galaxy/tensor_r.tif', { width: 139, height: 100, pages: 3, channels: 3, slices: 1, bits: 32, format: 'float', sums: [30928.928159518684, 52933.85887901418, 37240.010528108505], min: -2.2111709117889404, max: 11.486528396606445, cal: null }],
  ['ImageJ 16-bit big-endian z-stack', 'tiff/image-js/stack.tif', { width: 128, height: 128, pages: 10, channels: 1, slices: 10, bits: 16, format: 'uint', sums: [7948902, 8106503, 8203061, 8403253, 8132708, 7962852, 7861106, 7857217, 7879398, 7994120], min: 234, max: 7676, cal: { px: 1 / 15.625, source: 'imagej' } }],
  ['OME-TIFF first series of several, PhysicalSize in µm', 'tiff/galaxy/multiseries.ome.tiff', { width: 5, height: 5, pages: 4, channels: 4, slices: 1, frames: 1, bits: 16, format: 'uint', sums: [84619, 20083, 12829, 20902], min: 431, max: 5247, cal: { px: 0.6499999761581421, source: 'ome', z: 1 } }],
  ['OME-TIFF XYZCT, 2 channels × 5 z × 5 t', 'tiff/ome/18x24y5z5t2c8b-text.ome-v2010-06.ome.tiff', { width: 18, height: 24, pages: 50, channels: 2, slices: 5, frames: 5, bits: 8, format: 'uint', sums: [94605, 16575, 93330, 17136, 92820, 74624], min: 0, max: 255, cal: null }],
  ['OME-TIFF 3 channels, PhysicalSizeX without unit', 'tiff/ome/6x4y1z1t3c8b-swatch.ome-v2010-06.ome.tiff', { width: 6, height: 4, pages: 3, channels: 3, bits: 8, format: 'uint', sums: [3417, 3415, 3417], min: 0, max: 255, cal: { px: 10000, source: 'ome' } }],
  ['8-bit LZW + horizontal predictor, 72 dpi', 'tiff/image-js/grey8-lzw.tif', { width: 30, height: 90, pages: 1, channels: 1, bits: 8, format: 'uint', sums: [559358], min: 0, max: 255, cal: { px: 25400 / 72, source: 'resolution' } }],
  ['RGB 8-bit LZW + predictor', 'tiff/image-js/color8-lzw.tif', { width: 160, height: 120, pages: 1, channels: 3, bits: 8, format: 'uint', sums: [11522791], min: 0, max: 255, cal: { px: 10000 / 118.11, source: 'resolution' } }],
  ['RGB 16-bit LZW', 'tiff/image-js/color16-lzw.tif', { width: 160, height: 120, pages: 1, channels: 3, bits: 16, format: 'uint', sums: [2961356215], min: 0, max: 65535, cal: { px: 10000 / 118.11, source: 'resolution' } }],
  ['RGB 16-bit Adobe Deflate', 'tiff/image-js/tile_rgb_deflate.tif', { width: 128, height: 128, pages: 1, channels: 3, bits: 16, format: 'uint', sums: [47942371], min: 522, max: 2040, cal: null }],
  ['8-bit palette (indices kept)', 'tiff/image-js/palette.tif', { width: 9, height: 9, pages: 1, channels: 1, bits: 8, format: 'uint', sums: [324], min: 0, max: 8, cal: { px: 10000 / 118.11, source: 'resolution' } }],
  ['32-bit float', 'tiff/image-js/float32.tif', { width: 141, height: 125, pages: 1, channels: 1, bits: 32, format: 'float', sums: [8887.051861263812], min: 0.0988486111164093, max: 0.9090222716331482, cal: { px: 25400 / 72, source: 'resolution' } }],
  ['64-bit float', 'tiff/image-rs/gradient-1c-64b-float.tiff', { width: 256, height: 1, pages: 1, channels: 1, bits: 64, format: 'float', sums: [128.0319210877642], min: 0.0008935276418924332, max: 0.9982651472091675, cal: null }],
  ['16-bit float (Deflate)', 'tiff/image-rs/random-fp16.tiff', { width: 16, height: 16, pages: 1, channels: 1, bits: 16, format: 'float', sums: [213.475341796875], min: 0.384765625, max: 1, cal: { px: 25400 / 300, source: 'resolution' } }],
  ['signed 16-bit', 'tiff/image-rs/int16.tif', { width: 64, height: 64, pages: 1, channels: 1, bits: 16, format: 'int', sums: [354396], min: -5000, max: 4998, cal: null }],
  ['signed 8-bit', 'tiff/image-rs/int8.tif', { width: 64, height: 64, pages: 1, channels: 1, bits: 8, format: 'int', sums: [3111], min: -128, max: 127, cal: null }],
  ['signed 32-bit', 'tiff/image-rs/seq/seq-1c-i32-99fddec2.tiff', { width: 16, height: 16, pages: 1, channels: 1, bits: 32, format: 'int', sums: [-128], min: -128, max: 127, cal: null }],
  ['16-bit PackBits', 'tiff/image-rs/issue_69_packbits.tiff', { width: 45, height: 45, pages: 1, channels: 1, bits: 16, format: 'uint', sums: [1015486], min: 430, max: 598, cal: { px: 25400 / 72, source: 'resolution' } }],
  ['BigTIFF little-endian RGB', 'tiff/image-rs/bigtiff/BigTIFF.tif', { width: 64, height: 64, pages: 1, channels: 3, bits: 8, format: 'uint', sums: [819918], min: 0, max: 255, cal: null }],
  ['BigTIFF big-endian RGB', 'tiff/image-rs/bigtiff/BigTIFFMotorola.tif', { width: 64, height: 64, pages: 1, channels: 3, bits: 8, format: 'uint', sums: [819918], min: 0, max: 255, cal: null }],
  ['planar RGB, LZW', 'tiff/image-rs/planar-rgb-u8.tif', { width: 374, height: 499, pages: 1, channels: 3, bits: 8, format: 'uint', sums: [39528948], min: 0, max: 255, cal: { px: 25400 / 72, source: 'resolution' } }],
  ['tiled RGB, LZW + predictor', 'tiff/image-rs/tiled-rgb-u8.tif', { width: 374, height: 499, pages: 1, channels: 3, bits: 8, format: 'uint', sums: [39528948], min: 0, max: 255, cal: { px: 25400 / 72, source: 'resolution' } }],
  ['tiled 8-bit LZW', 'tiff/image-rs/seq/seq-1c-8b-tiled-lzw-20f3db0c.tiff', { width: 16, height: 16, pages: 1, channels: 1, bits: 8, format: 'uint', sums: [32640], min: 0, max: 255, cal: null }],
  ['float32 LZW + floating-point predictor', 'tiff/image-rs/predictor-3-gray-f32.tif', { width: 200, height: 200, pages: 1, channels: 1, bits: 32, format: 'float', sums: [20008.279317855835], min: 0, max: 0.9992643594741821, cal: { px: 10000, source: 'resolution' } }],
  ['16-bit big-endian', 'tiff/image-rs/seq/seq-1c-16b-bigendian-68f373a0.tiff', { width: 16, height: 16, pages: 1, channels: 1, bits: 16, format: 'uint', sums: [32640], min: 0, max: 255, cal: null }],
  ['12-bit packed', 'tiff/image-rs/12bit.cropped.tiff', { width: 64, height: 64, pages: 1, channels: 1, bits: 12, format: 'uint', sums: [10973], min: 0, max: 27, cal: { px: 25400 / 72, source: 'resolution' } }],
  ['1-bit MinIsWhite', 'tiff/image-rs/miniswhite-1c-1b.tiff', { width: 157, height: 151, pages: 1, channels: 1, bits: 1, format: 'uint', sums: [11854], min: 0, max: 1, cal: null }],
];

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('decodeImage on reference TIFFs', () => {
  it.each(cases)('%s', (_name, file, e) => {
    const img = decodeImage(readFixture(file));
    const i = img.info;
    expect([i.format, i.width, i.height, i.pages, i.channels, i.slices, i.frames, i.bitsPerSample, i.sampleFormat]).toEqual(['tiff', e.width, e.height, e.pages, e.channels, e.slices ?? (e.pages * (i.samplesPerPixel)) / e.channels, e.frames ?? 1, e.bits, e.format]);
    expect(img.planes).toHaveLength(i.channels * i.slices * i.frames);
    for (const p of img.planes) expect(p.length).toBe(e.width * e.height);
    expect(img.pageStats).toHaveLength(e.pages);
    e.sums.forEach((s, k) => expect(close(img.pageStats[k].sum, s), `page ${k} sum ${img.pageStats[k].sum} ≠ ${s}`).toBe(true));
    expect(Math.min(...img.pageStats.map((s) => s.min))).toBeCloseTo(e.min, 12);
    expect(Math.max(...img.pageStats.map((s) => s.max))).toBeCloseTo(e.max, 12);
    if (e.cal === null) expect(i.calibration).toBeNull();
    else {
      expect(i.calibration?.source).toBe(e.cal.source);
      expect(i.calibration?.unit).toBe('µm');
      expect(i.calibration?.pixelWidth).toBeCloseTo(e.cal.px, 6);
      expect(i.calibration?.pixelHeight).toBeCloseTo(e.cal.px, 6);
      if (e.cal.z !== undefined) expect(i.calibration?.voxelDepth).toBeCloseTo(e.cal.z, 9);
    }
    // The cheap header read agrees with the full decode.
    expect(readImageInfo(readFixture(file))).toMatchObject({ width: e.width, height: e.height, pages: e.pages, channels: i.channels });
  });
});

const planeSum = (img: DecodedImage, k: number) => Array.from(img.planes[k] as ArrayLike<number>).reduce((a, b) => a + b, 0);

describe('plane order', () => {
  it('ImageJ pages are already c-fastest: plane (c=1, z=0) is page 2 of zcyx.tiff', () => {
    const img = decodeImage(readFixture('tiff/galaxy/zcyx.tiff'));
    expect(planeIndex(img.info, 1, 0, 0)).toBe(1);
    expect(planeSum(img, 1)).toBe(11544);
    expect(planeSum(img, planeIndex(img.info, 0, 1, 0))).toBe(11649);
  });

  it('OME XYZCT pages are reordered to c + C*(z + Z*t)', () => {
    const img = decodeImage(readFixture('tiff/ome/18x24y5z5t2c8b-text.ome-v2010-06.ome.tiff'));
    // In the file z varies fastest: page 5 is (c=1, z=0, t=0) and page 1 is (c=0, z=1, t=0).
    expect(planeSum(img, planeIndex(img.info, 1, 0, 0))).toBe(74624);
    expect(planeSum(img, planeIndex(img.info, 0, 1, 0))).toBe(16575);
    expect(planeSum(img, planeIndex(img.info, 0, 0, 0))).toBe(94605);
  });

  it('RGB is split into three channels in R, G, B order', () => {
    const img = decodeImage(readFixture('tiff/image-rs/bigtiff/BigTIFFMotorola.tif'));
    const little = decodeImage(readFixture('tiff/image-rs/bigtiff/BigTIFF.tif'));
    expect(img.planes).toHaveLength(3);
    for (let c = 0; c < 3; c++) expect(Array.from(img.planes[c] as Uint8Array)).toEqual(Array.from(little.planes[c] as Uint8Array));
    // Planar and chunky encodings of the same picture decode to identical channels.
    const planar = decodeImage(readFixture('tiff/image-rs/planar-rgb-u8.tif'));
    const tiled = decodeImage(readFixture('tiff/image-rs/tiled-rgb-u8.tif'));
    for (let c = 0; c < 3; c++) expect((planar.planes[c] as Uint8Array).every((v, k) => v === tiled.planes[c][k])).toBe(true);
  });
});

describe("an ImageJ composite's saved display", () => {
  it('opens each channel in the colour and range Fiji saved (multi_f.tiff: red 0–170.7, green 0–416.7, by tifffile)', () => {
    const img = decodeImage(readFixture('tiff/galaxy/multi_f.tiff'));
    const ch = openingChannels(img.info, img.planes.slice(0, 2).map((p) => computeHistogram(p, 'uint', 16)), null);
    expect(ch.map((c) => [c.color, c.min, c.max])).toEqual([['red', 0, 170.69672131147541], ['green', 0, 416.72222222222223]]);
    // Ranges without LUTs (zcyx.tiff): each channel's range, Ramify's colours.
    const zcyx = decodeImage(readFixture('tiff/galaxy/zcyx.tiff'));
    const z = openingChannels(zcyx.info, zcyx.planes.slice(0, 2).map((p) => computeHistogram(p, 'uint', 8)), null);
    expect(z.map((c) => [c.color, c.min, c.max])).toEqual([['green', 0, 230], ['magenta', 0, 208]]);
  });
});

describe("an OME-TIFF's channel colours", () => {
  // tests/fixtures/tiff/ome-colours/make-ome-colours.py; OME's Color is a signed 32-bit RGBA.
  const colours = (name: string) => {
    const img = decodeImage(readFixture(`ome-colours/${name}`));
    return { saved: img.info.channelColors, shown: openingChannels(img.info, img.planes.map((p) => computeHistogram(p, 'uint', 16)), null).map((c) => c.color) };
  };

  it('open as the file gives them: -16776961 = 0xff0000ff red, 65535 = 0x0000ffff blue', () => {
    expect(colours('red-blue.ome.tif')).toEqual({ saved: ['#ff0000', '#0000ff'], shown: ['red', 'blue'] });
  });

  it('its channels are called by their names (MAP2, DAPI); a colour picture by its colours; others by number alone', () => {
    const ome = decodeImage(readFixture('ome-colours/red-blue.ome.tif')).info;
    expect(ome.channelNames).toEqual(['MAP2', 'DAPI']);
    expect(channelNames(ome)).toEqual(['MAP2', 'DAPI']);
    expect(channelNames(decodeImage(readFixture('tiff/image-js/color8-lzw.tif')).info)).toEqual(['red', 'green', 'blue']);
    expect(channelNames(decodeImage(readFixture('tiff/galaxy/multi_f.tiff')).info)).toBeNull();
  });

  it("the schema's default -1 (white) is no colour chosen: Ramify's colours, DAPI's by its name", () => {
    // MAP2 names no light: the cycle's first, green; DAPI is shown blue, as a microscope shows it.
    expect(colours('default-white.ome.tif')).toEqual({ saved: undefined, shown: ['green', 'blue'] });
  });
});

describe('alpha samples (TIFF ExtraSamples)', () => {
  // Per-sample sums and the first pixel from tifffile (tests/fixtures/tiff/make-alpha.py lists the files' alpha).
  const samples = (img: DecodedImage) => img.planes.map((_, k) => planeSum(img, k));
  const firstPixel = (img: DecodedImage) => img.planes.map((p) => p[0]);

  it('an RGBA image opens as its three colours: the alpha, associated or not, is no channel', () => {
    const unassoc = decodeImage(readFixture('tiff/image-rs/seq/seq-4c-8b-rgba-unassoc-50969cda.tiff'));
    expect([unassoc.info.channels, unassoc.info.samplesPerPixel, unassoc.info.slices]).toEqual([3, 3, 1]);
    expect(samples(unassoc)).toEqual([32256, 32512, 32768]);
    expect(firstPixel(unassoc)).toEqual([0, 1, 2]);
    const deep = decodeImage(readFixture('tiff/image-rs/seq/seq-4c-16b-rgba-5181991f.tiff'));
    expect([deep.info.channels, deep.info.bitsPerSample]).toEqual([3, 16]);
    expect(samples(deep)).toEqual([130560, 130816, 131072]);
    // Its page statistics stay those of every stored sample, as `ramify inspect` reports them (alpha 131328).
    expect(deep.pageStats[0].sum).toBe(130560 + 130816 + 131072 + 131328);
    expect(readImageInfo(readFixture('tiff/image-rs/seq/seq-4c-8b-rgba-unassoc-50969cda.tiff'))).toMatchObject({ channels: 3, samplesPerPixel: 3 });
  });

  it('an 8-bit RGBA image shows in its own colours, as an RGB one does', () => {
    const img = decodeImage(readFixture('tiff/image-rs/seq/seq-4c-8b-rgba-unassoc-50969cda.tiff'));
    const ch = openingChannels(img.info, img.planes.map((p) => computeHistogram(p, 'uint', 8)), null);
    expect(ch.map((c) => [c.color, c.min, c.max])).toEqual([['red', 0, 255], ['green', 0, 255], ['blue', 0, 255]]);
  });

  it('an unspecified extra sample is data and stays a channel', () => {
    const img = decodeImage(readFixture('tiff/image-rs/extra_bits_gray_8b.tiff'));
    expect([img.info.channels, img.info.samplesPerPixel]).toEqual([2, 2]);
    expect(samples(img)).toEqual([0, 64]);
  });
});

describe('palette, inverted LUT and typed arrays', () => {
  it('keeps palette indices and exposes the colour map', () => {
    const img = decodeImage(readFixture('micrographs/neuronj/neurites.tif'));
    expect(img.planes[0]).toBeInstanceOf(Uint8Array);
    const pal = img.info.palette;
    expect(pal).toBeInstanceOf(Uint16Array);
    expect(pal).toHaveLength(768);
    // tifffile colormap[:, 8] = (8192, 14848, 0); [:, 1] = (65280, 65280, 65280)
    expect([pal?.[8], pal?.[256 + 8], pal?.[512 + 8]]).toEqual([8192, 14848, 0]);
    expect([pal?.[1], pal?.[257], pal?.[513]]).toEqual([65280, 65280, 65280]);
    expect(img.info.invertedLut).toBeUndefined();
  });

  it('flags MinIsWhite images for inverted display', () => {
    expect(decodeImage(readFixture('micrographs/snt/ddaC.tif')).info.invertedLut).toBe(true);
  });

  it('returns the typed array that matches bits and sample format', () => {
    expect(decodeImage(readFixture('tiff/image-rs/int16.tif')).planes[0]).toBeInstanceOf(Int16Array);
    expect(decodeImage(readFixture('tiff/image-rs/int8.tif')).planes[0]).toBeInstanceOf(Int8Array);
    expect(decodeImage(readFixture('tiff/image-rs/seq/seq-1c-i32-99fddec2.tiff')).planes[0]).toBeInstanceOf(Int32Array);
    expect(decodeImage(readFixture('tiff/image-rs/random-fp16.tiff')).planes[0]).toBeInstanceOf(Float32Array);
    expect(decodeImage(readFixture('tiff/image-rs/gradient-1c-64b-float.tiff')).planes[0]).toBeInstanceOf(Float64Array);
    expect(decodeImage(readFixture('tiff/image-rs/12bit.cropped.tiff')).planes[0]).toBeInstanceOf(Uint16Array);
    expect(decodeImage(readFixture('tiff/galaxy/multi_f.tiff')).planes[0]).toBeInstanceOf(Uint16Array);
  });

  it("reads ImageJ's display range: the description's min and max (stack.tif), each channel's Ranges where saved", () => {
    expect(decodeImage(readFixture('tiff/image-js/stack.tif')).info.displayRanges).toEqual([{ min: 166, max: 11528 }]);
    // The description of multi_f.tiff says min=0, max=170 (its first channel's, rounded); its Ranges block is exact.
    expect(decodeImage(readFixture('tiff/galaxy/multi_f.tiff')).info.displayRanges).toEqual([{ min: 0, max: 170.69672131147541 }, { min: 0, max: 416.72222222222223 }]);
  });
});

describe('ZSTD and JPEG-in-TIFF decode; CCITT is refused by name', () => {
  it('ZSTD: int16_zstd.tif equals tifffile exactly', () => {
    const img = decodeImage(readFixture('tiff/image-rs/int16_zstd.tif'));
    expect(img.planes[0]).toBeInstanceOf(Int16Array);
    expect(img.pageStats).toEqual([{ page: 0, min: -5000, max: 4998, sum: 354396 }]);
  });
  it('JPEG-in-TIFF: quad-tile.jpg.tiff (tiled, YCbCr 2×2, JPEGTables) is within IDCT rounding of tifffile/libjpeg', () => {
    const img = decodeImage(readFixture('tiff/image-rs/quad-tile.jpg.tiff'));
    expect([img.info.width, img.info.height, img.info.channels]).toEqual([512, 384, 3]);
    // tifffile + imagecodecs (libjpeg-turbo): min 0, max 255, sum 21506302 over 589824 samples. jpeg-js's IDCT
    // rounds differently (±1 per component, ±3 after YCbCr → RGB), so the sum may drift by a fraction of a level each.
    const s = img.pageStats[0];
    expect([s.min, s.max]).toEqual([0, 255]);
    expect(Math.abs(s.sum - 21506302) / 589824).toBeLessThan(0.1);
  });
  it('CCITT Group 3', () => {
    let e: unknown;
    try {
      decodeImage(readFixture('tiff/image-rs/seq/seq-1c-1b-fax3-71f6a21a.tiff'));
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(RamifyError);
    expect((e as RamifyError).code).toBe('unsupported');
    expect((e as RamifyError).message).toMatch(/^TIFF compression CCITT Group 3 fax \(3\) is not supported — /);
  });
});
