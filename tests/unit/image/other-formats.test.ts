import { describe, expect, it } from 'vitest';
import { decodeImage, readImageInfo } from '../../../shared/image/decode';
import { otherFormatByContent, otherFormatByName } from '../../../shared/image/other-formats';

const bytes = (...parts: Array<string | number[]>) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('image formats Ramify does not read, told by name', () => {
  it('by their first bytes: microscopes’ own formats (to Fiji) and picture formats (save as TIFF or PNG)', () => {
    const what = (b: Uint8Array) => otherFormatByContent(b)?.what.split(',')[0];
    expect(what(bytes('ZISRAWFILE', [0, 0, 0, 0]))).toBe('a Zeiss CZI file');
    expect(what(bytes([0xda, 0xce, 0xbe, 0x0a, 0, 0, 0, 0]))).toBe('a Nikon ND2 file');
    expect(what(bytes([0x70, 0, 0, 0, 1, 2, 3, 4, 0x2a]))).toBe('a Leica LIF file');
    expect(what(bytes([0x89], 'HDF\r\n', [0x1a, 0x0a]))).toBe('an Imaris IMS file');
    expect(what(bytes('GIF89a'))).toBe('a GIF image');
    expect(what(bytes('BM', [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('a BMP image');
    expect(what(bytes('RIFF', [0, 0, 0, 0], 'WEBP'))).toBe('a WebP image');
    expect(otherFormatByContent(bytes('ZISRAWFILE'))?.advice).toBe('Open it in Fiji (Bio-Formats) and save it as TIFF: its calibration comes along.');
    expect(otherFormatByContent(bytes('GIF89a'))?.advice).toBe('Save it as TIFF or PNG.');
    // Text (one beginning with BM too), a RIFF that is no WebP (a WAV), two bytes: nothing to say.
    for (const b of [bytes('hello world'), bytes('RIFF', [0, 0, 0, 0], 'WAVE'), bytes('BM'), bytes('BMW service notes')]) expect(otherFormatByContent(b)).toBeNull();
  });

  it('by their extension, whatever the case', () => {
    expect(otherFormatByName('/data/exp 1/Cells_01.CZI')?.what).toBe('a Zeiss CZI file, which Ramify does not read (it reads TIFF, PNG and JPEG)');
    expect(otherFormatByName('slide.vsi')?.what.startsWith('an Olympus VSI file')).toBe(true);
    // A MetaMorph stack is a TIFF by its first bytes; its planes after the first are where no TIFF reader looks.
    expect(otherFormatByName('well_A01.stk')?.what).toBe('a MetaMorph STK stack, which Ramify does not read (it reads TIFF, PNG and JPEG)');
    for (const name of ['cells.tif', 'cells.lsm', 'notes.txt', 'README']) expect(otherFormatByName(name)).toBeNull();
  });

  it('by their content: a MetaMorph STK stack of several planes is refused by name; a single plane opens as the TIFF it is', () => {
    // A little-endian TIFF of one 4 × 2 8-bit directory with MetaMorph's UIC2 record (tag 33629, one entry per plane,
    // 6 longs each): the planes after the first follow the first's strip, where no directory points.
    const stk = (planes: number) => {
      const entries: Array<[number, number, number, number]> = [
        [256, 3, 1, 4], [257, 3, 1, 2], [258, 3, 1, 8], [259, 3, 1, 1], [262, 3, 1, 1], [273, 4, 1, 134],
        [277, 3, 1, 1], [278, 3, 1, 2], [279, 4, 1, 8], [33629, 4, planes, 134 + 8 * planes],
      ];
      const b = new Uint8Array(134 + 8 * planes + 24 * planes);
      const v = new DataView(b.buffer);
      b.set([0x49, 0x49, 42, 0]);
      v.setUint32(4, 8, true);
      v.setUint16(8, entries.length, true);
      entries.forEach(([tag, type, count, value], k) => {
        const at = 10 + 12 * k;
        v.setUint16(at, tag, true);
        v.setUint16(at + 2, type, true);
        v.setUint32(at + 4, count, true);
        if (type === 3 && count === 1) v.setUint16(at + 8, value, true);
        else v.setUint32(at + 8, value, true);
      });
      for (let i = 0; i < 8 * planes; i++) b[134 + i] = i;
      return b;
    };
    expect(() => decodeImage(stk(3))).toThrow('A MetaMorph STK stack, which Ramify does not read (it reads TIFF, PNG and JPEG). Open it in Fiji (Bio-Formats) and save it as TIFF: its calibration comes along.');
    expect(() => readImageInfo(stk(3))).toThrow(/MetaMorph STK stack/);
    const one = decodeImage(stk(1));
    expect([one.info.width, one.info.height, one.info.slices, Array.from(one.planes[0] as Uint8Array)]).toEqual([4, 2, 1, [0, 1, 2, 3, 4, 5, 6, 7]]);
  });
});
