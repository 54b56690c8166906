import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNdf } from '../../../shared/formats/ndf';
import { decodeImage } from '../../../shared/image/decode';
import type { AnnotationDocument } from '../../../shared/model/document';
import { computeCostImage } from '../../../shared/tracing/cost-image';
import { LiveWire } from '../../../shared/tracing/live-wire';
import { meanDistanceToPolyline } from '../../../shared/tracing/path-metrics';
import { prepareTracing, traceClicks } from '../../../shared/tracing/trace-clicks';
import { densify } from './retrace';

type Pt = [number, number];
const read = (rel: string) => new Uint8Array(readFileSync(new URL(rel, import.meta.url)));

/** Point at arc length s along a polyline. */
function pointAt(line: Pt[], cum: number[], s: number): Pt {
  let i = 1;
  while (i < line.length - 1 && cum[i] < s) i++;
  const t = (s - cum[i - 1]) / (cum[i] - cum[i - 1]);
  return [line[i - 1][0] + t * (line[i][0] - line[i - 1][0]), line[i - 1][1] + t * (line[i][1] - line[i - 1][1])];
}

describe('live-wire accuracy on the bundled synthetic sample', () => {
  it('stays within 1 px mean distance of the true centre line between points 30–60 px apart on every branch', () => {
    const image = decodeImage(read('../../../build/sample/sample-neurons.tif'));
    const truth = JSON.parse(readFileSync(new URL('../../../build/sample/sample-neurons.truth.json', import.meta.url), 'utf8')) as { document: AnnotationDocument };
    const { cost } = computeCostImage(image.planes[0], image.info.width, image.info.height);
    const lw = new LiveWire(cost);
    const tp = prepareTracing(image.planes[0], image.info.width, image.info.height);
    const stored: number[] = [];
    const nodeXY = new Map<number, Pt>();
    for (const n of truth.document.neurons) for (const b of n.branches) for (const p of b.nodes) nodeXY.set(p.id, [p.x, p.y]);
    const means: number[] = [];
    const failures: string[] = [];
    for (const n of truth.document.neurons) {
      for (const b of n.branches) {
        const line: Pt[] = b.nodes.map((p) => [p.x, p.y]);
        if (b.parent.kind === 'node') line.unshift(nodeXY.get(b.parent.nodeId) as Pt);
        const cum = [0];
        for (let i = 1; i < line.length; i++) cum.push(cum[i - 1] + Math.hypot(line[i][0] - line[i - 1][0], line[i][1] - line[i - 1][1]));
        const total = cum[cum.length - 1];
        for (let s = 3; s + 30 <= total - 2; s += 60) {
          const a = pointAt(line, cum, s);
          const z = pointAt(line, cum, Math.min(s + 60, total - 2));
          lw.setAnchor(a[0], a[1], 0);
          const m = meanDistanceToPolyline(lw.pathTo(z[0], z[1]), line);
          means.push(m);
          // What the app stores for the same two clicks, sampled every ≤ 1 px.
          stored.push(meanDistanceToPolyline(densify(traceClicks(tp, [{ x: a[0], y: a[1] }, { x: z[0], y: z[1] }])), line));
          if (!(m <= 1)) failures.push(`branch ${b.id} from ${s} px: ${m.toFixed(2)} px`);
        }
      }
    }
    const overall = means.reduce((x, y) => x + y, 0) / means.length;
    const storedMean = stored.reduce((x, y) => x + y, 0) / stored.length;
    console.log(`synthetic sample: ${means.length} pairs, live-wire pixel path mean ${overall.toFixed(3)} px, worst ${Math.max(...means).toFixed(3)} px; stored centre line mean ${storedMean.toFixed(3)} px, worst ${Math.max(...stored).toFixed(3)} px`);
    expect(means.length).toBeGreaterThan(100);
    expect(failures).toEqual([]);
    // Pixel paths cannot follow a sub-pixel centre line exactly; ~0.25 px is the discretisation floor.
    expect(overall).toBeLessThan(0.4);
    // The stored centre line is sub-pixel: well under the pixel path's discretisation floor.
    expect(storedMean).toBeLessThan(0.15);
    expect(Math.max(...stored)).toBeLessThan(1);
  });
});

describe('live-wire accuracy against NeuronJ on neurites.tif', () => {
  it('re-traces each NeuronJ tracing from its first to its last vertex within 1.5 px mean distance (pixel path and stored line)', () => {
    const image = decodeImage(read('../../fixtures/neuronj/neurites.tif'));
    const ndf = parseNdf(readFileSync(new URL('../../fixtures/neuronj/neurites.ndf', import.meta.url), 'utf8'));
    expect([image.info.width, image.info.height, image.info.channels]).toEqual([706, 456, 1]);
    const { cost } = computeCostImage(image.planes[0], image.info.width, image.info.height);
    const lw = new LiveWire(cost);
    const tp = prepareTracing(image.planes[0], image.info.width, image.info.height);
    const figures: Record<number, number> = {};
    const stored: Record<number, number> = {};
    for (const t of ndf.tracings) {
      // NeuronJ stores pixel indices; document coordinates put the pixel centre at +0.5.
      const line: Pt[] = t.points.map((p) => [p.x + 0.5, p.y + 0.5]);
      lw.setAnchor(line[0][0], line[0][1], 0);
      const end = line[line.length - 1];
      figures[t.id] = Math.round(meanDistanceToPolyline(lw.pathTo(end[0], end[1]), line) * 1000) / 1000;
      const nodes = traceClicks(tp, [{ x: line[0][0], y: line[0][1] }, { x: end[0], y: end[1] }]);
      stored[t.id] = Math.round(meanDistanceToPolyline(densify(nodes), line) * 1000) / 1000;
    }
    console.log('NeuronJ tracings, mean distance px: pixel path', JSON.stringify(figures), 'stored centre line', JSON.stringify(stored));
    for (const t of ndf.tracings) expect(figures[t.id], `tracing ${t.id}`).toBeLessThanOrEqual(1.5);
    for (const t of ndf.tracings) expect(stored[t.id], `tracing ${t.id} stored`).toBeLessThanOrEqual(1.5);
  });
});
