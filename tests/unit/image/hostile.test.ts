import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../shared/image/decode';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { parseTiffStructure } from '../../../shared/formats/tiff/ifd';
import { RamifyError } from '../../../shared/result';
import { readFixture } from './fixtures';

/** A classic little-endian TIFF with one IFD of SHORT/LONG tags (values inline or as LONG arrays) plus data. */
function craftTiff(tags: Array<[number, number[]]>, data: Uint8Array = new Uint8Array(0), nextIfd = 0): Uint8Array {
  const dataAt = 8;
  const ifdAt = dataAt + data.length + (data.length & 1);
  const ifdSize = 2 + tags.length * 12 + 4;
  const extraAt = ifdAt + ifdSize;
  const extras = tags.filter(([, v]) => v.length > 1).reduce((n, [, v]) => n + v.length * 4, 0);
  const out = new Uint8Array(extraAt + extras);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, ifdAt, true);
  out.set(data, dataAt);
  v.setUint16(ifdAt, tags.length, true);
  let extra = extraAt;
  tags.forEach(([tag, values], i) => {
    const e = ifdAt + 2 + i * 12;
    v.setUint16(e, tag, true);
    v.setUint16(e + 2, 4, true);
    v.setUint32(e + 4, values.length, true);
    if (values.length === 1) v.setUint32(e + 8, values[0], true);
    else {
      v.setUint32(e + 8, extra, true);
      values.forEach((x, k) => v.setUint32(extra + 4 * k, x, true));
      extra += values.length * 4;
    }
  });
  v.setUint32(ifdAt + 2 + tags.length * 12, nextIfd === -1 ? ifdAt : nextIfd, true);
  return out;
}

const grey = (w: number, h: number, extra: Array<[number, number[]]> = [], data = new Uint8Array(w * h), offset = 8, count = data.length) =>
  craftTiff(
    ([[256, [w]], [257, [h]], [258, [8]], [259, [1]], [262, [1]], [273, [offset]], [277, [1]], [278, [h]], [279, [count]], ...extra] as Array<[number, number[]]>).sort((a, b) => a[0] - b[0]),
    data,
  );

function failure(bytes: Uint8Array, opts = {}): RamifyError {
  try {
    decodeImage(bytes, opts);
  } catch (e) {
    if (e instanceof RamifyError) return e;
    throw new Error(`threw a non-RamifyError: ${String(e)}`);
  }
  throw new Error('decoded without error');
}

describe('hostile input gives a RamifyError, never a crash, hang or huge allocation', () => {
  it('sanity: the crafted TIFF itself decodes', () => {
    const data = Uint8Array.from({ length: 12 }, (_, i) => i * 10);
    const img = decodeImage(grey(4, 3, [], data));
    expect(img.pageStats[0]).toEqual({ page: 0, min: 0, max: 110, sum: 660 });
  });

  it('zero bytes', () => {
    const e = failure(new Uint8Array(0));
    expect(e.code).toBe('empty');
    expect(e.message).toBe('The file is empty (0 bytes).');
  });

  it('random bytes (not an image)', () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919 + 13) % 251);
    const e = failure(bytes);
    expect(e.code).toBe('unsupported-format');
    expect(e.message).toMatch(/Not a TIFF, PNG or JPEG image/);
  });

  it('a TIFF header and nothing else', () => {
    const e = failure(Uint8Array.from([0x49, 0x49, 42, 0, 8, 0, 0, 0]));
    expect(e.code).toBe('corrupt');
    expect(e.message).toBe('The TIFF file is incomplete (truncated: 8 bytes of at least 10). Copy or download it again.');
  });

  it('truncated uncompressed ImageJ stack (strips past the end)', () => {
    const full = readFixture('tiff/galaxy/multi_f.tiff');
    const e = failure(full.subarray(0, Math.floor(full.length / 2)));
    expect(e.code).toBe('corrupt');
    // The strips of the later pages lie beyond the cut: the message names both lengths.
    expect(e.message).toMatch(new RegExp(`^The TIFF file is incomplete \\(truncated: ${Math.floor(full.length / 2)} bytes of at least \\d+\\)`));
  });

  it('truncated LZW file (strip data cut short)', () => {
    const full = readFixture('tiff/image-rs/planar-rgb-u8.tif');
    // Keep the IFD (at the start of this file) but drop the second half of the strip data.
    const cut = full.slice(0, Math.floor(full.length * 0.6));
    const e = failure(cut);
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/truncated/);
  });

  it('header claiming 100000×100000 pixels', () => {
    const e = failure(grey(100000, 100000, [], new Uint8Array(100)));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/100000×100000 pixels/);
  });

  it('a 30000×30000 LZW image in 10 bytes is impossible', () => {
    const lzw = craftTiff([[256, [30000]], [257, [30000]], [258, [8]], [259, [5]], [262, [1]], [273, [8]], [277, [1]], [278, [30000]], [279, [10]]], new Uint8Array(10));
    const e = failure(lzw);
    expect(e.code).toBe('corrupt');
    expect(e.message).toBe('Corrupt TIFF (page 1): it claims 30000×30000 pixels (900000000 bytes) but holds only 10 bytes of image data.');
  });

  it('gigantic tiles on a tiny image are refused before allocating them', () => {
    const bytes = craftTiff([[256, [2]], [257, [2]], [258, [8]], [259, [1]], [262, [1]], [277, [1]], [322, [65536]], [323, [65536]], [324, [8]], [325, [4]]], Uint8Array.of(1, 2, 3, 4));
    const e = failure(bytes);
    expect(e.code).toBe('corrupt');
    expect(e.message).toBe('Corrupt TIFF (page 1): tiles of 65536×65536 pixels are implausible for a 2×2 image.');
  });

  it('strip offset past the end of the file', () => {
    const e = failure(grey(4, 3, [], new Uint8Array(12), 999999));
    expect(e.code).toBe('corrupt');
    // 12 bytes of strip data from byte 999999: the file must hold at least 1000011 bytes.
    expect(e.message).toMatch(/^The TIFF file is incomplete \(truncated: \d+ bytes of at least 1000011\)/);
  });

  it('text after a TIFF signature is not taken for a truncated file (its "offset" is 28 million times the length)', () => {
    const bytes = new TextEncoder().encode('II*\u0000garbage that claims to be a TIFF but is not one at all');
    const e = failure(bytes);
    expect(e.code).toBe('corrupt');
    // "garb" read as a little-endian uint32: 0x62726167.
    expect(e.message).toBe(`Corrupt TIFF: the first IFD offset ${0x62726167} lies far outside the ${bytes.length}-byte file; this is not a TIFF image.`);
  });

  it('a file cut before its first IFD (issue 14: IFD at 2292858 in 300000 bytes) says it is incomplete', () => {
    const bytes = new Uint8Array(300000);
    bytes.set([0x49, 0x49, 42, 0]);
    new DataView(bytes.buffer).setUint32(4, 2292858, true);
    const e = failure(bytes);
    expect(e.code).toBe('corrupt');
    // The entry count (2 bytes) at 2292858 is the least the file must still hold.
    expect(e.message).toBe('The TIFF file is incomplete (truncated: 300000 bytes of at least 2292860). Copy or download it again.');
  });

  it('an IFD that points to itself does not loop forever', () => {
    const bytes = craftTiff([[256, [2]], [257, [2]], [258, [8]], [259, [1]], [262, [1]], [273, [8]], [277, [1]], [278, [2]], [279, [4]]], Uint8Array.from([1, 2, 3, 4]), -1);
    const img = decodeImage(bytes);
    expect(img.info.pages).toBe(1);
    expect(img.pageStats[0].sum).toBe(10);
  });

  it('garbage LZW data', () => {
    const data = Uint8Array.from({ length: 200 }, (_, i) => (i * 97 + 31) & 255);
    const e = failure(craftTiff([[256, [64]], [257, [64]], [258, [8]], [259, [5]], [262, [1]], [273, [8]], [277, [1]], [278, [64]], [279, [200]]], data));
    expect(e.code).toBe('corrupt');
  });

  it('zero width', () => {
    const e = failure(grey(0, 3));
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/image size 0×3 is invalid/);
  });

  it('maxPixels is honoured before decoding', () => {
    const bytes = encodeTiff({ width: 100, height: 100, planes: [new Uint8Array(10000)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none' });
    expect(decodeImage(bytes).planes[0].length).toBe(10000);
    const e = failure(bytes, { maxPixels: 9999 });
    expect(e.code).toBe('too-large');
  });

  it.each(['tiff/image-js/color8-lzw.tif', 'tiff/image-js/tile_rgb_deflate.tif', 'tiff/image-rs/tiled-rgb-u8.tif', 'tiff/image-rs/bigtiff/BigTIFFMotorola.tif', 'tiff/ome/6x4y1z1t3c8b-swatch.ome-v2010-06.ome.tiff', 'lsm/zstack-2ch-lzw.lsm', 'metaseries/metamorph-um.tif'])(
    'random corruption of %s never escapes as anything but RamifyError',
    (file) => {
      const base = readFixture(file);
      let seed = 42;
      const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
      let failures = 0;
      for (let trial = 0; trial < 150; trial++) {
        const b = base.slice(0, trial % 3 === 0 ? Math.floor(rand() * base.length) : base.length);
        for (let k = 0; k < 8; k++) b[Math.floor(rand() * b.length)] = Math.floor(rand() * 256);
        try {
          decodeImage(b);
        } catch (e) {
          if (!(e instanceof RamifyError)) throw e;
          failures++;
        }
      }
      // Truncation alone (every third trial) must be caught most of the time.
      expect(failures).toBeGreaterThan(30);
    },
  );

  it("ImageJ's metadata counts pointing past their tag are ignored, the image still opens (multi_f.tiff altered)", () => {
    const bytes = readFixture('tiff/galaxy/multi_f.tiff');
    const t = parseTiffStructure(bytes);
    const counts = t.ifds[0].entries.get(50838)!;
    for (const header of [0x7fffffff, 6, 0]) {
      const altered = bytes.slice();
      new DataView(altered.buffer).setUint32(counts.dataOffset, header, t.littleEndian);
      const img = decodeImage(altered);
      expect([img.info.channels, img.info.channelColors, img.info.displayRanges]).toEqual([2, undefined, [{ min: 0, max: 170 }]]);
    }
    // A block said to run past the end of the blocks' tag: the blocks before it are still read.
    const last = bytes.slice();
    const n = counts.count;
    new DataView(last.buffer).setUint32(counts.dataOffset + 4 * (n - 1), 0x7fffffff, t.littleEndian);
    expect(() => decodeImage(last)).not.toThrow();
  });

  it('truncated PNG and garbage JPEG', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(failure(png).code).toBe('corrupt');
    const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]);
    const e = failure(jpeg);
    expect(e.code).toBe('corrupt');
    expect(e.message).toMatch(/JPEG/);
  });
});
