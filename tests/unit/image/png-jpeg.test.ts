import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { decodeImage, readImageInfo, sniffFormat } from '../../../shared/image/decode';

/** Inserts a pHYs chunk (pixels per metre) after IHDR; fast-png's encoder does not write one. */
function withPhys(png: Uint8Array, ppm: number): Uint8Array {
  const body = new Uint8Array(13);
  const v = new DataView(body.buffer);
  body.set([0x70, 0x48, 0x59, 0x73]); // 'pHYs'
  v.setUint32(4, ppm);
  v.setUint32(8, ppm);
  body[12] = 1; // unit: metre
  let crc = ~0;
  for (const b of body) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  const chunk = new Uint8Array(4 + 13 + 4);
  new DataView(chunk.buffer).setUint32(0, 9);
  chunk.set(body, 4);
  new DataView(chunk.buffer).setUint32(17, ~crc >>> 0);
  const out = new Uint8Array(png.length + chunk.length);
  out.set(png.subarray(0, 33));
  out.set(chunk, 33);
  out.set(png.subarray(33), 33 + chunk.length);
  return out;
}

describe('PNG', () => {
  it('16-bit grey: one uint16 plane, pHYs in metres → µm', () => {
    const data = Uint16Array.from({ length: 12 }, (_, i) => i * 1000);
    const bytes = withPhys(encodePng({ width: 4, height: 3, data, depth: 16, channels: 1 }), 2_000_000);
    const img = decodeImage(bytes);
    expect(img.info).toMatchObject({ format: 'png', width: 4, height: 3, channels: 1, bitsPerSample: 16, sampleFormat: 'uint', pages: 1 });
    expect(img.planes[0]).toBeInstanceOf(Uint16Array);
    expect(Array.from(img.planes[0] as Uint16Array)).toEqual(Array.from(data));
    expect(img.pageStats).toEqual([{ page: 0, min: 0, max: 11000, sum: 66000 }]);
    expect(img.info.calibration).toEqual({ pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm', source: 'resolution' });
  });

  it('RGBA 8-bit: three colour channels, the alpha dropped (no stain: a channel of 255 would cover the image)', () => {
    const data = Uint8Array.from({ length: 2 * 2 * 4 }, (_, i) => i);
    const img = decodeImage(encodePng({ width: 2, height: 2, data, depth: 8, channels: 4 }));
    expect(img.info).toMatchObject({ channels: 3, samplesPerPixel: 3 });
    expect(img.planes.map((p) => Array.from(p))).toEqual([[0, 4, 8, 12], [1, 5, 9, 13], [2, 6, 10, 14]]);
    expect(img.pageStats[0].sum).toBe(84);
    expect(readImageInfo(encodePng({ width: 2, height: 2, data, depth: 8, channels: 4 }))).toMatchObject({ format: 'png', channels: 3, bitsPerSample: 8 });
  });

  it('grey + alpha 16-bit: one grey channel', () => {
    const data = Uint16Array.from([100, 65535, 200, 65535, 300, 0]);
    const png = encodePng({ width: 3, height: 1, data, depth: 16, channels: 2 });
    const img = decodeImage(png);
    expect(img.info).toMatchObject({ channels: 1, samplesPerPixel: 1, bitsPerSample: 16 });
    expect(Array.from(img.planes[0])).toEqual([100, 200, 300]);
    expect(readImageInfo(png)).toMatchObject({ channels: 1 });
  });
});

describe('JPEG', () => {
  it('colour JPEG: three 8-bit channels near the encoded colour', () => {
    const w = 16;
    const rgba = new Uint8Array(w * w * 4);
    for (let i = 0; i < w * w; i++) rgba.set([200, 100, 50, 255], i * 4);
    const bytes = new Uint8Array(encodeJpeg({ width: w, height: w, data: rgba }, 95).data);
    expect(sniffFormat(bytes)).toBe('jpeg');
    const img = decodeImage(bytes);
    expect(img.info).toMatchObject({ format: 'jpeg', width: 16, height: 16, channels: 3, bitsPerSample: 8 });
    const mean = (c: number) => (img.planes[c] as Uint8Array).reduce((a, b) => a + b, 0) / (w * w);
    expect(Math.abs(mean(0) - 200)).toBeLessThan(3);
    expect(Math.abs(mean(1) - 100)).toBeLessThan(3);
    expect(Math.abs(mean(2) - 50)).toBeLessThan(3);
  });
});
