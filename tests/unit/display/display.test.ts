import { describe, expect, it } from 'vitest';
import { autoContrast, rangeAfterViewChange } from '../../../shared/display/contrast';
import { computeHistogram } from '../../../shared/display/histogram';
import { displayLevel, renderComposite } from '../../../shared/display/composite';
import { scaleBarLength, formatLength } from '../../../shared/display/scale-bar';
import { thumbnailRgba } from '../../../shared/display/thumbnail';
import type { DecodedImage } from '../../../shared/image/types';

describe('auto contrast (ImageJ, 0.35 % saturated)', () => {
  it('saturates 0.175 % at each end of an exact 16-bit histogram', () => {
    // 10,000 pixels with values 0..9999: threshold = floor(10000·0.35/200) = 17 pixels per end.
    const data = new Uint16Array(10_000).map((_, i) => i);
    const h = computeHistogram(data, 'uint', 16);
    expect(h.binWidth).toBe(1);
    expect(autoContrast(h)).toEqual({ min: 17, max: 9982 });
  });

  it('handles a flat image and NaNs: the degenerate range [5, 5]', () => {
    const h = computeHistogram(new Float32Array([5, 5, NaN, 5]), 'float', 32);
    expect(h.nanCount).toBe(1);
    expect(h.total).toBe(3);
    expect(autoContrast(h)).toEqual({ min: 5, max: 5 });
  });

  it('a uniform 1×1 image of value 128 shows mid-grey, not black', () => {
    const plane = new Uint8Array([128]);
    const range = autoContrast(computeHistogram(plane, 'uint', 8));
    const out = new Uint8ClampedArray(4);
    renderComposite([plane], [{ visible: true, ...range, rgb: [255, 255, 255] }], out);
    // Level 0.5 of 255 = 127.5, which Uint8ClampedArray rounds to 128.
    expect([...out]).toEqual([128, 128, 128, 255]);
  });
});

describe('the display range when the plane shown changes', () => {
  // A bright-background 8-bit stack: its middle slice is uniform 245; its projection (darkest slice per pixel) holds
  // a cell body at 40 (200 px), a dendrite at 90 (300 px) and background 245 (9,500 px). Threshold: floor(10000 ·
  // 0.35 / 200) = 17 px per end, so the projection's automatic range is [40, 245].
  const slice = computeHistogram(new Uint8Array(10_000).fill(245), 'uint', 8);
  const projection = computeHistogram(new Uint8Array(10_000).map((_, i) => (i < 200 ? 40 : i < 500 ? 90 : 245)), 'uint', 8);

  it('an automatic range follows a switch to the z projection (before: [245, 245] kept, the background grey)', () => {
    expect(rangeAfterViewChange({ min: 245, max: 245 }, slice, projection, true)).toEqual({ min: 40, max: 245 });
  });

  it('only the range comes back: what else the caller holds (its channel’s histogram) is not carried along', () => {
    const channel = { min: 245, max: 245, histogram: slice };
    expect(rangeAfterViewChange(channel, slice, projection, false)).toEqual({ min: 245, max: 245 });
  });

  it('a range set by hand, or any range while moving through slices, is kept', () => {
    expect(rangeAfterViewChange({ min: 30, max: 250 }, slice, projection, true)).toEqual({ min: 30, max: 250 });
    expect(rangeAfterViewChange({ min: 245, max: 245 }, slice, projection, false)).toEqual({ min: 245, max: 245 });
    expect(rangeAfterViewChange({ min: 245, max: 245 }, null, projection, true)).toEqual({ min: 245, max: 245 });
  });
});

describe('composite', () => {
  it('maps [min, max] linearly and adds tinted channels', () => {
    const a = new Uint16Array([0, 50, 100, 200]);
    const b = new Uint16Array([100, 100, 0, 0]);
    const out = new Uint8ClampedArray(16);
    renderComposite(
      [a, b],
      [
        { visible: true, min: 0, max: 100, rgb: [0, 255, 0] },
        { visible: true, min: 0, max: 100, rgb: [255, 0, 255] },
      ],
      out,
    );
    // Pixel 2: green at half level (127.5 rounds to 128) plus full magenta; values above max clamp.
    expect([...out]).toEqual([255, 0, 255, 255, 255, 128, 255, 255, 0, 255, 0, 255, 0, 255, 0, 255]);
  });
});

describe('degenerate display range', () => {
  it('is a threshold at its value: below black, equal mid-grey, above white (also inverted, also 16-bit and float)', () => {
    const out = new Uint8ClampedArray(12);
    renderComposite([new Uint16Array([99, 100, 101])], [{ visible: true, min: 100, max: 100, rgb: [255, 255, 255] }], out);
    expect([...out]).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    renderComposite([new Float32Array([99, 100, 101])], [{ visible: true, min: 100, max: 100, rgb: [255, 255, 255], inverted: true }], out);
    expect([...out]).toEqual([255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255]);
    // Bounds typed the wrong way round (max < min): the threshold sits halfway between them.
    expect(displayLevel(10, 20, 0)).toBe(0.5);
    expect(displayLevel(9, 20, 0)).toBe(0);
    expect(displayLevel(NaN, 5, 5)).toBe(0);
  });
});

describe('scale bar', () => {
  it('picks 1, 2 or 5 × 10^k µm near the target length', () => {
    expect(scaleBarLength(0.5, 120)).toEqual({ um: 50, px: 100 });
    expect(scaleBarLength(0.325 / 0.7, 120).um).toBe(50);
    expect(formatLength(2000)).toBe('2 mm');
    expect(formatLength(0.5)).toBe('0.5 µm');
  });
});

describe('thumbnail', () => {
  it('box-averages to at most the requested size, keeping the aspect ratio', () => {
    const width = 256;
    const height = 192;
    const plane = new Uint16Array(width * height).map((_, i) => i % width);
    const image: DecodedImage = {
      info: { format: 'tiff', width, height, pages: 1, channels: 1, slices: 1, frames: 1, bitsPerSample: 16, sampleFormat: 'uint', samplesPerPixel: 1, calibration: null },
      planes: [plane],
      pageStats: [],
    };
    const t = thumbnailRgba(image, 96);
    expect([t.width, t.height]).toEqual([85, 64]);
    // A horizontal ramp stays a ramp: grey, brightening left to right.
    const px = (x: number) => t.rgba[(10 * t.width + x) * 4];
    expect(px(0)).toBeLessThan(px(40));
    expect(px(40)).toBeLessThan(px(84));
    expect(t.rgba[(10 * t.width + 40) * 4 + 1]).toBe(px(40));
  });
});
