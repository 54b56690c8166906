import { describe, expect, it } from 'vitest';
import type { AutoNeuron } from '../../../../shared/tracing/auto/auto-neuron';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../../../shared/tracing/auto/prune-trace';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { traceField } from '../../../../shared/tracing/auto/trace-field';
import { AUTO_TRACE_MAX_PIXELS, autoTraceWindow, FIRST_WINDOW_PIXELS, fromWindow, innerEdges, outsideRegion, reachesRegion } from '../../../../shared/tracing/auto/window';
import { band, disk } from './painters';

describe('the part of an image one automatic trace reads (window.ts)', () => {
  it('all of an image within the budget, whatever the clicks or the view', () => {
    expect(autoTraceWindow(4000, 3000, [{ x: 10, y: 10 }], null, 12e6)).toEqual({ x: 0, y: 0, width: 4000, height: 3000 });
    expect(autoTraceWindow(4000, 3000, [], { x: 100, y: 100, width: 50, height: 50 }, 12e6)).toEqual({ x: 0, y: 0, width: 4000, height: 3000 });
  });

  it('around a click on a larger image: the largest square window centred on it, kept inside the image', () => {
    // 1000 px budget: a 31 × 32 window (31·32 = 992 ≤ 1000; 32·32 would not fit).
    expect(autoTraceWindow(100, 100, [{ x: 50.5, y: 40.5 }], null, 1000)).toEqual({ x: 35, y: 25, width: 31, height: 32 });
    expect(autoTraceWindow(100, 100, [{ x: 2, y: 98 }], null, 1000)).toEqual({ x: 0, y: 68, width: 31, height: 32 });
    // Several clicks: centred on their bounding box.
    expect(autoTraceWindow(100, 100, [{ x: 40, y: 40 }, { x: 60, y: 50 }], null, 1000)).toEqual({ x: 35, y: 29, width: 31, height: 32 });
  });

  it('a long thin image: the window takes its whole height and as much width as the budget allows', () => {
    expect(autoTraceWindow(1000, 20, [{ x: 500, y: 10 }], null, 1000)).toEqual({ x: 475, y: 0, width: 50, height: 20 });
  });

  it('clicks too far apart for one window: a message with the window and what to do', () => {
    expect(() => autoTraceWindow(100, 100, [{ x: 10, y: 10 }, { x: 90, y: 10 }], null, 1000)).toThrow(/lie 80 × 0 px apart; .*reads a 31 × 32 px window: trace them separately/);
    // With a first window of 400 px (20 × 20), clicks 25 px apart get the largest (31 × 32); 40 px apart, the message
    // names the largest.
    expect(autoTraceWindow(100, 100, [{ x: 30, y: 50 }, { x: 55, y: 50 }], null, 1000, 400)).toEqual({ x: 27, y: 34, width: 31, height: 32 });
    expect(() => autoTraceWindow(100, 100, [{ x: 30, y: 50 }, { x: 70, y: 50 }], null, 1000, 400)).toThrow(/lie 40 × 0 px apart; .*reads a 31 × 32 px window/);
    // On an image the largest window holds whole, the whole image.
    expect(autoTraceWindow(30, 30, [{ x: 2, y: 2 }, { x: 28, y: 28 }], null, 1000, 400)).toEqual({ x: 0, y: 0, width: 30, height: 30 });
  });

  it('Detect on a larger image: the part on screen, clipped to whole px of the image', () => {
    expect(autoTraceWindow(100, 100, [], { x: -5.5, y: 10.2, width: 20, height: 15.5 }, 1000)).toEqual({ x: 0, y: 10, width: 15, height: 16 });
  });

  it('Detect when the view shows more than the budget, or nothing of the image: a message saying to zoom in', () => {
    expect(() => autoTraceWindow(100, 100, [], { x: 0, y: 0, width: 100, height: 100 }, 1000)).toThrow(
      'Detect neurons reads up to 0.0 MP at a time and the view shows 0.0 MP of this 100 × 100 image (0.0 MP): zoom in on the part to detect, or click a cell body to trace it alone.',
    );
    expect(() => autoTraceWindow(20000, 20000, [], { x: 0, y: 0, width: 10000, height: 8000 })).toThrow(/reads up to 33\.6 MP at a time and the view shows 80\.0 MP of this 20000 × 20000 image \(400\.0 MP\)/);
    expect(() => autoTraceWindow(20000, 20000, [], { x: 30000, y: 0, width: 100, height: 100 })).toThrow(/nothing of it is on screen/);
  });

  it('the budget is 2^25 px: a 5792 × 5793 window around a click on a whole slide scan', () => {
    expect(AUTO_TRACE_MAX_PIXELS).toBe(33554432);
    expect(autoTraceWindow(40000, 30000, [{ x: 20000, y: 15000 }], null)).toEqual({ x: 17104, y: 12104, width: 5792, height: 5793 });
  });

  it('a first, smaller window around a click (the budget stays the limit); Detect is not limited by it', () => {
    expect(FIRST_WINDOW_PIXELS).toBe(8388608);
    expect(autoTraceWindow(100, 100, [{ x: 50.5, y: 40.5 }], null, 1000, 100)).toEqual({ x: 46, y: 36, width: 10, height: 10 });
    expect(autoTraceWindow(100, 100, [{ x: 50.5, y: 40.5 }], null, 1000, 5000)).toEqual({ x: 35, y: 25, width: 31, height: 32 });
    expect(autoTraceWindow(100, 100, [{ x: 50.5, y: 40.5 }], null, 20000, 10000)).toEqual({ x: 0, y: 0, width: 100, height: 100 });
    expect(autoTraceWindow(100, 100, [], { x: 0, y: 0, width: 30, height: 30 }, 1000, 100)).toEqual({ x: 0, y: 0, width: 30, height: 30 });
  });

  it('neurons traced in a window move to the image by the window’s corner', () => {
    const n: AutoNeuron = { soma: { x: 1, y: 2, r: 3 }, fibre: false, branches: [{ parent: -1, parentNode: -1, nodes: [{ x: 4, y: 5, r: 1, z: 2 }], doubts: ['gap'], spots: [{ doubt: 'gap', x: 4.5, y: 5.5 }] }] };
    expect(fromWindow([n], { x: 100, y: 200, width: 10, height: 10 })).toEqual([
      { soma: { x: 101, y: 202, r: 3 }, fibre: false, branches: [{ parent: -1, parentNode: -1, nodes: [{ x: 104, y: 205, r: 1, z: 2 }], doubts: ['gap'], spots: [{ doubt: 'gap', x: 104.5, y: 205.5 }] }] },
    ]);
  });
});

describe('the rest of the image competes with a trace in a window (window.ts outsideRegion)', () => {
  // A window 120 × 60 of a larger image whose top edge lies inside the image: a cell body of radius 10 at (30, 30) with a dendrite
  // to x = 110 along rows 29–31, and a neighbour's neurite (its cell is above the window) coming in across the top
  // edge along columns 79–81 and ending on the dendrite.
  const width = 120;
  const height = 60;
  const pixels = new Uint8Array(width * height);
  const set = (x: number, y: number) => (pixels[x + width * y] = 255);
  disk(set, 30, 30, 10);
  band(set, 30, 110, 29, 31);
  for (let y = 0; y <= 31; y++) for (let x = 79; x <= 81; x++) set(x, y);
  const plane = signalFromPlane(pixels, { width, height, bitsPerSample: 8 });
  const edges = innerEdges({ x: 500, y: 500, width, height }, 2000, 560);
  const span = (n: AutoNeuron) => {
    const ys = n.branches.flatMap((b) => b.nodes.map((p) => p.y));
    return [Math.round(Math.min(...ys)), Math.round(Math.max(...ys))];
  };

  it('which edges of a window are inner: those with image beyond them', () => {
    expect(edges).toEqual({ left: true, top: true, right: true, bottom: false });
    expect(innerEdges({ x: 0, y: 0, width: 10, height: 10 }, 10, 10)).toEqual({ left: false, top: false, right: false, bottom: false });
  });

  it('its pixels are the foreground on the inner edges', () => {
    const tracer = new AutoTracer(plane, { pixelSize: 0.5 });
    const r = outsideRegion(tracer.foreground.mask, width, height, edges)!;
    expect(r.pixels).toEqual([79, 80, 81]);
    expect(outsideRegion(tracer.foreground.mask, width, height, { left: true, top: false, right: true, bottom: true })).toBeNull();
  });

  it('a click: the neighbour’s neurite stays with the outside; without it, the clicked cell takes it', () => {
    const tracer = new AutoTracer(plane, { pixelSize: 0.5 });
    const seeds = [tracer.seedAt(30, 30)];
    const outside = outsideRegion(tracer.foreground.mask, width, height, edges)!;
    const withOutside = pruneTrace(tracer.trace(seeds, [...tracer.competitorsOf(seeds), outside]), { minBranchPx: 5 });
    expect(withOutside.length).toBe(1);
    expect(span(withOutside[0])[0]).toBeGreaterThanOrEqual(26);
    const alone = pruneTrace(tracer.trace(seeds, tracer.competitorsOf(seeds)), { minBranchPx: 5 });
    expect(span(alone[0])[0]).toBeLessThan(5);
  });

  it('the trace reaches the outside where the neighbour’s neurite meets the dendrite, not when it stops short', () => {
    const tracer = new AutoTracer(plane, { pixelSize: 0.5 });
    const seeds = [tracer.seedAt(30, 30)];
    const outside = outsideRegion(tracer.foreground.mask, width, height, edges)!;
    const cache = tracer.trace(seeds, [...tracer.competitorsOf(seeds), outside]);
    expect(reachesRegion(cache, cache.seeds.length - 1)).toBe(true);
    // The neighbour's neurite ending 12 px above the dendrite (farther than the 5 px gap the search crosses).
    const apart = new Uint8Array(pixels);
    for (let y = 17; y <= 28; y++) for (let x = 79; x <= 81; x++) apart[x + width * y] = 0;
    const t2 = new AutoTracer(signalFromPlane(apart, { width, height, bitsPerSample: 8 }), { pixelSize: 0.5 });
    const s2 = [t2.seedAt(30, 30)];
    const c2 = t2.trace(s2, [...t2.competitorsOf(s2), outsideRegion(t2.foreground.mask, width, height, edges)!]);
    expect(reachesRegion(c2, c2.seeds.length - 1)).toBe(false);
  });

  it('Detect: the outside is searched from but not reported', () => {
    const tracer = new AutoTracer(plane, { pixelSize: 0.5 });
    const outside = outsideRegion(tracer.foreground.mask, width, height, edges)!;
    const { neurons } = traceField(tracer, { minBranchPx: 5 }, undefined, [outside]);
    expect(neurons.length).toBe(1);
    expect(neurons[0].soma).toMatchObject({ x: 30.5, y: 30.5 });
    expect(span(neurons[0])[0]).toBeGreaterThanOrEqual(26);
  });
});
