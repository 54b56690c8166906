import { describe, expect, it } from 'vitest';
import { renderMorphology } from '../../../../build/tools/render-morphology';
import { traceAndScore } from '../../../../shared/tracing/auto/gold-standard';
import { detectStats, expectAsRawSample, sampleWith } from './sample-variants';
import { sharedData } from './reference-data';

// Saturated specks that are not neurites: a dead cell or a clump of debris (brightly fluorescent in any culture), a
// bead, a scale bar and its label burned into an exported picture. The floor on the noise (for noise-free pictures)
// was a thousandth of the plane's top; one such speck at 65535 raised it to ~65 grey levels.

const swc21dpi = sharedData('swc/snt/21dpi_contra_infra_01.swc');

describe.skipIf(!swc21dpi)('SNT 21dpi drawn with noise σ 8 (draw 7) and a blob of debris 7 px across at 65535 in a corner', () => {
  it('DIADEM at 1.2 px within 0.06 of the clean draw’s 0.886 (0 before: the thresholds stood over every neurite)', () => {
    const m = renderMorphology(new TextDecoder().decode(swc21dpi), { unitsPerPx: 0.5, noise: 8, seed: 7 });
    const plane = m.image.planes[0] as Uint16Array;
    const w = m.image.info.width;
    for (let y = 5; y < 12; y++) for (let x = 5; x < 12; x++) if ((x - 8) ** 2 + (y - 8) ** 2 <= 10) plane[y * w + x] = 65535;
    expect(traceAndScore(m.image, m.gold, { seeds: [m.root] }).diadem).toBeGreaterThan(0.826);
  });
});

/** Sets 2 × 2 px along a line from (x0, y0) to (x1, y1): a stroke of burned-in text. */
function stroke(set: (x: number, y: number) => void, x0: number, y0: number, x1: number, y1: number): void {
  const n = Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0));
  for (let k = 0; k <= n; k++) {
    const [x, y] = [Math.round(x0 + ((x1 - x0) * k) / n), Math.round(y0 + ((y1 - y0) * k) / n)];
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) set(x + dx, y + dy);
  }
}

describe('the bundled sample with saturated specks (Detect)', () => {
  it('a scale bar 120 × 8 px with its label “50 µm” burned in at 65535, and a dead cell 13 px across at 65535: the same four cells and trees (before: a branch more, every threshold 3 × as high)', () => {
    const image = sampleWith((plane, width, height) => {
      const out = plane.slice();
      const set = (x: number, y: number) => {
        if (x >= 0 && y >= 0 && x < width && y < height) out[y * width + x] = 65535;
      };
      for (let y = height - 30; y < height - 22; y++) for (let x = width - 140; x < width - 20; x++) set(x, y);
      const [bx, by] = [width - 130, height - 52];
      // 5, 0, µ, m
      for (const [x0, y0, x1, y1] of [[8, 0, 0, 0], [0, 0, 0, 6], [0, 6, 8, 6], [8, 6, 8, 14], [8, 14, 0, 14], [14, 0, 22, 0], [22, 0, 22, 14], [22, 14, 14, 14], [14, 14, 14, 0], [34, 4, 34, 18], [34, 14, 40, 14], [40, 14, 40, 4], [46, 14, 46, 4], [46, 4, 58, 4], [52, 4, 52, 14], [58, 4, 58, 14]]) {
        stroke(set, bx + x0, by + y0, bx + x1, by + y1);
      }
      for (let y = 40; y < 53; y++) for (let x = 480; x < 493; x++) if ((x - 486) ** 2 + (y - 46) ** 2 <= 36) set(x, y);
      return { plane: out, width, height };
    });
    expectAsRawSample(detectStats(image));
  });
});
