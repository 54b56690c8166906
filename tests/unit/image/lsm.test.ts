import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../../shared/formats/tiff/byte-source';
import { TiffRegionReader } from '../../../shared/formats/tiff/region-reader';
import { computeHistogram } from '../../../shared/display/histogram';
import { openingChannels } from '../../../shared/display/opening-display';
import { decodeImage, readImageInfo } from '../../../shared/image/decode';
import { planeIndex, type DecodedImage } from '../../../shared/image/types';
import { shell, RAMIFY } from '../cli/shell';
import { fixturePath, readFixture } from './fixtures';

// Zeiss LSM files written by tests/fixtures/tiff/lsm/make-lsm.py; the expected values are tifffile's reading of them
// (tests/fixtures/tiff/lsm/reference.json): series axes and shape, voxel size, per-channel sums, one pixel.
interface Reference {
  axes: string;
  shape: number[];
  voxel_um: [number, number, number];
  colors: Array<[number, number, number]>;
  channel_sums: number[];
  last_plane_pixel_5_7: number[];
}
const reference: Record<string, Reference> = JSON.parse(readFileSync(fixturePath('lsm/reference.json'), 'utf8'));

const channelSums = (img: DecodedImage) =>
  Array.from({ length: img.info.channels }, (_, c) => img.planes.filter((_, k) => k % img.info.channels === c).reduce((n, p) => n + Array.from(p as ArrayLike<number>).reduce((a, b) => a + b, 0), 0));

describe('Zeiss LSM files open as the stacks they are, calibrated', () => {
  it.each(Object.keys(reference))('%s: channels, slices and time points, pixels and voxel size as tifffile reads them', (name) => {
    const ref = reference[name];
    const img = decodeImage(readFixture(`lsm/${name}`));
    const size = (axis: string) => (ref.axes.includes(axis) ? ref.shape[ref.axes.indexOf(axis)] : 1);
    const { info } = img;
    expect([info.width, info.height, info.channels, info.slices, info.frames]).toEqual([size('X'), size('Y'), size('C'), size('Z'), size('T')]);
    // The thumbnail after each plane is no slice.
    expect(img.planes).toHaveLength(size('C') * size('Z') * size('T'));
    expect(channelSums(img)).toEqual(ref.channel_sums);
    const last = img.planes.slice(-info.channels);
    expect(last.map((p) => p[7 * info.width + 5])).toEqual(ref.last_plane_pixel_5_7);
    expect(info.calibration).toEqual({ pixelWidth: expect.closeTo(ref.voxel_um[0], 12), pixelHeight: expect.closeTo(ref.voxel_um[1], 12), voxelDepth: expect.closeTo(ref.voxel_um[2], 12), unit: 'µm', source: 'lsm' });
    // Its channels are dyes, not the colours of a picture: not shown or compared as an RGB image's, but in the
    // colours ZEN gave them.
    expect(info.samplesPerPixel).toBe(1);
    expect(info.channelColors).toEqual(ref.colors.map((rgb) => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`));
    expect(readImageInfo(readFixture(`lsm/${name}`))).toMatchObject({ channels: info.channels, slices: info.slices, frames: info.frames, calibration: info.calibration });
  });

  it('opens in the colours ZEN saved (zstack-2ch: green, magenta; timeseries-3ch: red, green, blue)', () => {
    const colours = (name: string) => {
      const img = decodeImage(readFixture(`lsm/${name}`));
      return openingChannels(img.info, img.planes.slice(0, img.info.channels).map((p) => computeHistogram(p, 'uint', 16)), null).map((c) => c.color);
    };
    expect(colours('zstack-2ch.lsm')).toEqual(['green', 'magenta']);
    expect(colours('timeseries-3ch.lsm')).toEqual(['red', 'green', 'blue']);
  });

  it('a time series is told from a z-stack: frame 2 of timeseries-3ch.lsm is its second page', () => {
    const img = decodeImage(readFixture('lsm/timeseries-3ch.lsm'));
    expect([img.info.slices, img.info.frames]).toEqual([1, 2]);
    // The pattern's line in channel 2 lies at x = 40 / 3 + 1 = 14, with 4000 - 50·z = 4000 on the only slice.
    expect(img.planes[planeIndex(img.info, 1, 0, 1)][14]).toBe(4000);
  });

  it("LZW strips whose byte counts are the uncompressed sizes (Zeiss's writer) decode to the uncompressed file's pixels", () => {
    const plain = decodeImage(readFixture('lsm/zstack-2ch.lsm'));
    const lzw = decodeImage(readFixture('lsm/zstack-2ch-lzw.lsm'));
    expect(lzw.planes).toHaveLength(plain.planes.length);
    lzw.planes.forEach((p, k) => expect(Array.from(p as Uint16Array)).toEqual(Array.from(plain.planes[k] as Uint16Array)));
  });

  it('read by ranges (a large file), the LZW stack gives the same planes', async () => {
    const plain = decodeImage(readFixture('lsm/zstack-2ch.lsm'));
    const reader = await TiffRegionReader.open(memorySource(readFixture('lsm/zstack-2ch-lzw.lsm')));
    expect(reader.info.calibration?.source).toBe('lsm');
    const planes = await reader.read([0, 1, 2, 3, 4, 5], { x: 0, y: 0, width: 64, height: 48 });
    planes.forEach((p, k) => expect(Array.from(p as Uint16Array)).toEqual(Array.from(plain.planes[k] as Uint16Array)));
  });

  it('`ramify inspect` (as installed) names the header its pixel size came from', async () => {
    const r = await shell(`${RAMIFY} inspect ${fixturePath('lsm/zstack-2ch.lsm')}`, process.cwd());
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toContain('channels:    2');
    expect(lines).toContain('slices:      3');
    expect(lines).toContain('calibration: 0.2075 × 0.2075 µm per pixel (from the Zeiss LSM header)');
  });
});
