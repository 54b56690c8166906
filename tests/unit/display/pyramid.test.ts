import { describe, expect, it } from 'vitest';
import { HistogramAccumulator, computeHistogram } from '../../../shared/display/histogram';
import { COARSEST_SIDE, PyramidBuilder, cropPlane, reduceBy2 } from '../../../shared/display/pyramid';
import type { PixelArray } from '../../../shared/image/types';

describe('pyramid levels (means of 2×2 blocks)', () => {
  it('a 3×3 plane by hand: full blocks, the odd column, the odd row and the corner', () => {
    // 1 2 3
    // 4 5 6
    // 7 8 9
    const a = Uint16Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // (1+2+4+5)/4 = 3; (3+6)/2 = 4.5 → 5 (half up); (7+8)/2 = 7.5 → 8; 9 alone.
    expect([...reduceBy2(a, 3, 3)]).toEqual([3, 5, 8, 9]);
    expect([...reduceBy2(Float32Array.from(a), 3, 3)]).toEqual([3, 4.5, 7.5, 9]);
  });

  it('built from bands of any height, the levels equal reducing the whole plane', () => {
    const w = 1001;
    const h = 777;
    const plane = new Uint16Array(w * h);
    for (let i = 0; i < plane.length; i++) plane[i] = (i * 2654435761) >>> 20;
    // Bands of 1, 2, then 37 rows, then the rest: row pairs straddle band boundaries.
    const b = new PyramidBuilder(w, h, Uint16Array);
    const cuts = [0, 1, 3, 40, 41, h];
    for (let i = 1; i < cuts.length; i++) b.addRows(plane.subarray(cuts[i - 1] * w, cuts[i] * w));
    expect(b.rows).toBe(h);
    const levels = b.finish();
    let ref: PixelArray = plane;
    let rw = w;
    let rh = h;
    for (const l of levels) {
      ref = reduceBy2(ref, rw, rh);
      rw = Math.ceil(rw / 2);
      rh = Math.ceil(rh / 2);
      expect([l.width, l.height]).toEqual([rw, rh]);
      expect(l.data).toEqual(ref);
    }
    // 1001 → 501 → 251: the second level already fits COARSEST_SIDE (256).
    expect(COARSEST_SIDE).toBe(256);
    expect(levels.map((l) => [l.factor, l.width, l.height])).toEqual([[2, 501, 389], [4, 251, 195]]);
  });

  it('crops a rectangle', () => {
    const a = Uint8Array.from({ length: 20 }, (_, i) => i); // 5 wide, 4 high
    expect([...cropPlane(a, 5, 1, 2, 3, 2)]).toEqual([11, 12, 13, 16, 17, 18]);
  });
});

describe('histograms accumulated band by band equal computeHistogram', () => {
  const cases: Array<[string, PixelArray, 'uint' | 'int' | 'float', number]> = [
    ['uint16', Uint16Array.from({ length: 5000 }, (_, i) => 300 + ((i * 7919) % 1200)), 'uint', 16],
    ['int16', Int16Array.from({ length: 5000 }, (_, i) => -900 + ((i * 7919) % 1700)), 'int', 16],
    ['uint8', Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 251), 'uint', 8],
    ['float32 with NaN', Float32Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? NaN : Math.sin(i) * 1000)), 'float', 32],
    ['uint32', Uint32Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 0), 'uint', 32],
  ];
  it.each(cases)('%s', (_name, data, format, bits) => {
    const acc = new HistogramAccumulator(format, bits);
    const bands = [0, 1, 700, 701, 4000, data.length];
    const pass = () => {
      for (let i = 1; i < bands.length; i++) acc.add(data.subarray(bands[i - 1], bands[i]));
    };
    pass();
    if (acc.needsSecondPass) {
      acc.startSecondPass();
      pass();
    }
    expect(acc.result()).toEqual(computeHistogram(data, format, bits));
  });

  it('uint16 by hand: values 5, 5, 7 give counts [2, 0, 1] from 5', () => {
    const acc = new HistogramAccumulator('uint', 16);
    acc.add(Uint16Array.from([5, 7]));
    acc.add(Uint16Array.from([5]));
    const h = acc.result();
    expect([...h.counts]).toEqual([2, 0, 1]);
    expect([h.min, h.max, h.total]).toEqual([5, 7, 3]);
  });
});
