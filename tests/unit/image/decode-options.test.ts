import { describe, expect, it } from 'vitest';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { decodeImage } from '../../../shared/image/decode';

describe('decodeImage without page statistics (the viewer path)', () => {
  it('gives the same pixels and no pageStats', () => {
    const plane = new Uint16Array(300 * 200).map((_, i) => (i * 7919) & 0xffff);
    for (const compression of ['none', 'lzw', 'deflate'] as const) {
      const bytes = encodeTiff({ width: 300, height: 200, planes: [plane, plane.map((v) => v ^ 0xff)], bitsPerSample: 16, sampleFormat: 'uint', compression, predictor: compression !== 'none', rowsPerStrip: 7 });
      const full = decodeImage(bytes);
      const lean = decodeImage(bytes, { stats: false });
      expect(full.pageStats).toHaveLength(2);
      expect(full.pageStats[0].sum).toBe(plane.reduce((a, b) => a + b, 0));
      expect(lean.pageStats).toEqual([]);
      expect(lean.planes).toEqual(full.planes);
      expect(lean.info).toEqual(full.info);
    }
  });
});
