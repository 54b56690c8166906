import { describe, expect, it } from 'vitest';
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
});
