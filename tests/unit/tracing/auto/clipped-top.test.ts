import { describe, expect, it } from 'vitest';
import { renderMorphology } from '../../../../build/tools/render-morphology';
import { traceAndScore } from '../../../../shared/tracing/auto/gold-standard';
import { localTails } from '../../../../shared/tracing/auto/local-tails';
import { brightBackground, signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { sharedData } from './reference-data';

describe('localTails', () => {
  it('counts the px standing over 3 σ of the noise above and below their block’s median: a line and a dark speck on a checkerboard', () => {
    // 64 × 64 of 100 ± 2 in a checkerboard: every horizontal difference is 4, so σ = 1.4826 × 4 / √2 = 4.19 and the
    // tails start 12.6 from the median (102: the sampled px of every block are the +2 ones). Row 10 is a line of 150,
    // three px a speck of 50: 64 px above, 3 below, of 4096.
    const w = 64;
    const plane = Uint16Array.from({ length: w * w }, (_, i) => ((i % w) + Math.floor(i / w)) % 2 === 0 ? 102 : 98);
    for (let x = 0; x < w; x++) plane[10 * w + x] = 150;
    for (const i of [40 * w + 40, 40 * w + 41, 41 * w + 40]) plane[i] = 50;
    expect(localTails(plane, w)).toEqual({ above: 64 / 4096, below: 3 / 4096 });
  });
});

const swc21dpi = sharedData('swc/snt/21dpi_contra_infra_01.swc');

describe.skipIf(!swc21dpi)('SNT 21dpi drawn with noise σ 8 (draw 7), its neurites clipped a few σ above the background', () => {
  const draw = () => renderMorphology(new TextDecoder().decode(swc21dpi), { unitsPerPx: 0.5, noise: 8, seed: 7 });

  it('clipped 39 grey levels (5 σ) above the median background: read bright on dark and traced (DIADEM 0 before: traced along the dark rims)', () => {
    const m = draw();
    const plane = m.image.planes[0] as Uint16Array;
    // The background's median is 121; its uneven illumination reaches down to 64, further than the clip lies above.
    for (let i = 0; i < plane.length; i++) plane[i] = Math.min(plane[i], 160);
    expect(signalFromPlane(plane, m.image.info).inverted).toBe(false);
    expect(traceAndScore(m.image, m.gold, { seeds: [m.root] }).diadem).toBeGreaterThanOrEqual(0.75);
  });

  it('the same neurites dark on a bright background that is itself clipped just above its median (a quarter of the px) stay dark on bright', () => {
    const m = draw();
    const plane = m.image.planes[0] as Uint16Array;
    // 500 − v: the background's median 379; clipped at 385, 6 above it, under a σ.
    for (let i = 0; i < plane.length; i++) plane[i] = Math.min(500 - plane[i], 385);
    let top = 0;
    for (const v of plane) if (v === 385) top++;
    expect(top / plane.length).toBeGreaterThan(0.2);
    expect(signalFromPlane(plane, m.image.info).inverted).toBe(true);
    expect(traceAndScore(m.image, m.gold, { seeds: [m.root] }).diadem).toBeGreaterThanOrEqual(0.75);
  });

  it('drawn as a 24-slice stack, every slice clipped at 170: the stack is read bright on dark, its maximum projection traced (before: its darkest slice, nothing traced)', () => {
    const m = renderMorphology(new TextDecoder().decode(swc21dpi), { unitsPerPx: 0.5, noise: 8, seed: 7, slices: 24 });
    for (const plane of m.image.planes as Uint16Array[]) for (let i = 0; i < plane.length; i++) plane[i] = Math.min(plane[i], 170);
    expect(brightBackground(m.image.planes, m.image.info, m.image.info.width)).toBe(false);
    expect(traceAndScore(m.image, m.gold, { seeds: [m.root] }).diadem).toBeGreaterThanOrEqual(0.75);
  });
});
