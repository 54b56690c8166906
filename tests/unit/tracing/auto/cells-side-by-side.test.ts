import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectStats, sampleWith } from './sample-variants';

// A denser culture: the bundled sample's field and a copy of it shifted along the diagonal, overlaid (the brighter of
// the two at each px), so that every cell has a twin whose body sits beside its own.

const truth = JSON.parse(readFileSync(new URL('../../../../build/sample/sample-neurons.truth.json', import.meta.url), 'utf8')) as {
  document: { calibration: { pixelWidth: number }; neurons: Array<{ soma: { x: number; y: number; r: number } }> };
};

function withTwins(shiftUm: number) {
  const d = Math.round(shiftUm / truth.document.calibration.pixelWidth / Math.SQRT2);
  const image = sampleWith((src, width, height) => {
    const plane = new Uint16Array(src.length);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) plane[x + width * y] = Math.max(src[x + width * y], x >= d && y >= d ? src[x - d + width * (y - d)] : 0);
    return { plane, width, height };
  });
  return { d, image };
}

describe('cells of the bundled sample beside twins of theirs (Detect)', () => {
  // The sample's bodies are 14–16 px in radius (about 10 µm across) at 0.325 µm/px.
  for (const [shiftUm, before] of [
    [12, 'no cell body at all: the field read as fibres, one of 103 branches from the image’s edge'],
    [16, 'four cells, each with its twin’s dendrites'],
  ] as const) {
    it(`twin bodies ${shiftUm} µm apart: all eight cells, each at its own body (before: ${before})`, () => {
      const { d, image } = withTwins(shiftUm);
      const found = detectStats(image);
      const bodies = truth.document.neurons.flatMap((n) => [n.soma, { x: n.soma.x + d, y: n.soma.y + d }]);
      expect(found).toHaveLength(8);
      for (const b of bodies) expect(found.filter((n) => Math.hypot(n.soma[0] - b.x, n.soma[1] - b.y) < 5)).toHaveLength(1);
      // Every cell keeps dendrites of its own: none is left a bare body, none takes its twin's whole tree.
      for (const n of found) {
        expect(n.primaries).toBeGreaterThanOrEqual(2);
        expect(n.primaries).toBeLessThanOrEqual(5);
      }
    });
  }
});
