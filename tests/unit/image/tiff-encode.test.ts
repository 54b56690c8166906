import { describe, expect, it } from 'vitest';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { lzwDecode } from '../../../shared/formats/tiff/lzw-decode';
import { lzwEncode } from '../../../shared/formats/tiff/lzw-encode';
import { decodeImage } from '../../../shared/image/decode';
import { imagejDescription, parseImagejDescription } from '../../../shared/image/imagej';
import type { PixelArray } from '../../../shared/image/types';

const W = 37;
const H = 23;
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;

function plane(kind: string, k: number): PixelArray {
  const n = W * H;
  const f = (i: number) => Math.round(1000 * Math.sin(i / 9 + k) + 40 * rand());
  switch (kind) {
    case 'uint8': return Uint8Array.from({ length: n }, (_, i) => f(i) & 255);
    case 'int8': return Int8Array.from({ length: n }, (_, i) => (f(i) % 128));
    case 'uint16': return Uint16Array.from({ length: n }, (_, i) => (f(i) + 30000) & 0xffff);
    case 'int16': return Int16Array.from({ length: n }, (_, i) => f(i) * 20);
    case 'uint32': return Uint32Array.from({ length: n }, (_, i) => (f(i) + 2000) * 100003);
    case 'int32': return Int32Array.from({ length: n }, (_, i) => f(i) * 100003);
    case 'float32': return Float32Array.from({ length: n }, (_, i) => f(i) / 7);
    default: return Float64Array.from({ length: n }, (_, i) => f(i) / 7);
  }
}

const kinds: Array<[string, 8 | 16 | 32 | 64, 'uint' | 'int' | 'float']> = [
  ['uint8', 8, 'uint'], ['int8', 8, 'int'], ['uint16', 16, 'uint'], ['int16', 16, 'int'],
  ['uint32', 32, 'uint'], ['int32', 32, 'int'], ['float32', 32, 'float'], ['float64', 64, 'float'],
];

describe('encodeTiff → decodeImage round trip', () => {
  for (const [kind, bits, format] of kinds) {
    for (const compression of ['none', 'lzw', 'deflate'] as const) {
      for (const predictor of compression === 'none' ? [false] : [false, true]) {
        it(`${kind} ${compression}${predictor ? ' + predictor' : ''}, 3 pages, 5-row strips`, () => {
          const planes = [0, 1, 2].map((k) => plane(kind, k));
          const bytes = encodeTiff({ width: W, height: H, planes, bitsPerSample: bits, sampleFormat: format, compression, predictor, rowsPerStrip: 5 });
          const img = decodeImage(bytes);
          expect([img.info.width, img.info.height, img.info.pages, img.info.bitsPerSample, img.info.sampleFormat]).toEqual([W, H, 3, bits, format]);
          planes.forEach((p, k) => {
            expect(img.planes[k].constructor).toBe(p.constructor);
            expect(Array.from(img.planes[k] as ArrayLike<number>)).toEqual(Array.from(p as ArrayLike<number>));
          });
        });
      }
    }
  }

  it('writes the ImageJ description and resolution: 2-channel 16-bit sample with µm calibration', () => {
    const desc = imagejDescription({ channels: 2, unit: 'micron', pixelWidth: 0.1625 });
    expect(desc).toBe('ImageJ=1.54f\nimages=2\nchannels=2\nmode=composite\nunit=micron\nloop=false\n');
    const bytes = encodeTiff({
      width: W, height: H, planes: [plane('uint16', 0), plane('uint16', 1)], bitsPerSample: 16, sampleFormat: 'uint',
      compression: 'deflate', imagejDescription: desc, resolution: { x: 1 / 0.1625, y: 1 / 0.1625, unit: 'none' },
    });
    const img = decodeImage(bytes);
    expect([img.info.channels, img.info.slices, img.info.frames]).toEqual([2, 1, 1]);
    expect(img.info.calibration).toEqual({ pixelWidth: expect.closeTo(0.1625, 6), pixelHeight: expect.closeTo(0.1625, 6), unit: 'µm', source: 'imagej' });
  });

  it('hyperstack description maps pages to c, z, t', () => {
    const desc = imagejDescription({ channels: 2, slices: 3, frames: 2, unit: 'µm', spacing: 0.5 });
    expect(parseImagejDescription(desc)?.get('hyperstack')).toBe('true');
    const planes = Array.from({ length: 12 }, (_, k) => Uint8Array.from({ length: W * H }, () => k));
    const img = decodeImage(encodeTiff({ width: W, height: H, planes, bitsPerSample: 8, sampleFormat: 'uint', compression: 'lzw', imagejDescription: desc }));
    expect([img.info.channels, img.info.slices, img.info.frames]).toEqual([2, 3, 2]);
    expect(img.info.calibration).toMatchObject({ pixelWidth: 1, voxelDepth: 0.5, source: 'imagej' });
    expect(img.planes.map((p) => p[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it('plain resolution tags in inches give a resolution calibration', () => {
    const bytes = encodeTiff({ width: W, height: H, planes: [plane('uint8', 0)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', resolution: { x: 2540, y: 1270, unit: 'inch' } });
    expect(decodeImage(bytes).info.calibration).toEqual({ pixelWidth: 10, pixelHeight: 20, unit: 'µm', source: 'resolution' });
    const none = encodeTiff({ width: W, height: H, planes: [plane('uint8', 0)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', resolution: { x: 2540, y: 1270, unit: 'none' } });
    expect(decodeImage(none).info.calibration).toBeNull();
  });

  it('reports progress per strip, rising to exactly 1', () => {
    const planes = [plane('uint16', 0), plane('uint16', 1)];
    const bytes = encodeTiff({ width: W, height: H, planes, bitsPerSample: 16, sampleFormat: 'uint', compression: 'lzw', rowsPerStrip: 1 });
    const seen: number[] = [];
    decodeImage(bytes, { onProgress: (f) => seen.push(f) });
    // 46 strips in all; reports are at least 1% apart, so every strip reports here.
    expect(seen).toHaveLength(46);
    expect(seen.every((f, i) => i === 0 || f > seen[i - 1])).toBe(true);
    expect(seen[seen.length - 1]).toBe(1);
  });

  it('rejects planes of the wrong size', () => {
    expect(() => encodeTiff({ width: 4, height: 4, planes: [new Uint8Array(15)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none' })).toThrow('Plane has 15 samples, expected 16.');
  });
});

describe('LZW codec', () => {
  const roundTrip = (input: Uint8Array) => {
    const out = new Uint8Array(input.length);
    expect(lzwDecode(lzwEncode(input), out)).toBe(input.length);
    expect(out.every((v, i) => v === input[i])).toBe(true);
  };
  it('round-trips runs (long strings, KwKwK codes)', () => roundTrip(new Uint8Array(100000).fill(7)));
  it('round-trips noise (table fills and clears many times)', () => roundTrip(Uint8Array.from({ length: 200000 }, () => Math.floor(rand() * 256))));
  it('round-trips text-like data', () => roundTrip(new TextEncoder().encode('dendrite branch '.repeat(5000))));
  it('round-trips empty and single-byte input', () => {
    roundTrip(new Uint8Array(0));
    roundTrip(Uint8Array.of(42));
  });
  it('decodes a hand-made stream: Clear, "A", "B", code 258 ("AB"), EOI', () => {
    // 9-bit codes 256, 65, 66, 258, 257 packed MSB first.
    const codes = [256, 65, 66, 258, 257];
    let bits = '';
    for (const c of codes) bits += c.toString(2).padStart(9, '0');
    bits = bits.padEnd(Math.ceil(bits.length / 8) * 8, '0');
    const src = Uint8Array.from({ length: bits.length / 8 }, (_, i) => parseInt(bits.slice(i * 8, i * 8 + 8), 2));
    const out = new Uint8Array(4);
    expect(lzwDecode(src, out)).toBe(4);
    expect(new TextDecoder().decode(out)).toBe('ABAB');
  });
});
