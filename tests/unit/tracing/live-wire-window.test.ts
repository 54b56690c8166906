import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TraceHandler } from '../../../renderer/src/workers/trace-handler';
import type { TraceReply, TraceRequest } from '../../../renderer/src/workers/trace-protocol';
import { decodeImage } from '../../../shared/image/decode';
import type { PixelArray } from '../../../shared/image/types';
import { LIVE_WIRE_MAX_PIXELS, LIVE_WIRE_WINDOW_PIXELS, liveWireWindow, WINDOW_MARGIN, windowCovers } from '../../../shared/tracing/live-wire-window';
import { distanceToPolyline } from '../../../shared/tracing/path-metrics';

type Pt = [number, number];

describe('the part of a large image the live-wire reads (live-wire-window.ts)', () => {
  it('reads an image up to the budget whole, whatever the points', () => {
    expect(liveWireWindow(700, 700, [[10, 10], [690, 690]], 500_000, 250_000)).toEqual({ x: 0, y: 0, width: 700, height: 700 });
    expect(LIVE_WIRE_MAX_PIXELS).toBe(2 ** 25);
    expect(LIVE_WIRE_WINDOW_PIXELS).toBe(2 ** 23);
    expect(WINDOW_MARGIN).toBe(64);
  });

  it('centres a window on the last point, slid into the image', () => {
    // 1000² px with a 500 × 500 window: around (600, 700) the corner is (350, 450); near a corner it stays in the image.
    expect(liveWireWindow(1000, 1000, [[600, 700]], 500_000, 250_000)).toEqual({ x: 350, y: 450, width: 500, height: 500 });
    expect(liveWireWindow(1000, 1000, [[100, 100]], 500_000, 250_000)).toEqual({ x: 0, y: 0, width: 500, height: 500 });
    expect(liveWireWindow(1000, 1000, [[990, 2]], 500_000, 250_000)).toEqual({ x: 500, y: 0, width: 500, height: 500 });
    // A thin image: 100 px high, so the window is 2500 px wide; around x = 3900 it ends at the image's right edge.
    expect(liveWireWindow(4000, 100, [[3900, 50]], 300_000, 250_000)).toEqual({ x: 1500, y: 0, width: 2500, height: 100 });
  });

  it('slides the window as little as needed to hold the anchor 64 px inside its edges', () => {
    // Anchor (300, 700), click (600, 700): centred on the click the corner would be x = 350, past the anchor; the
    // anchor needs x ≤ 300 − 64 = 236.
    const w = liveWireWindow(1000, 1000, [[300, 700], [600, 700]], 500_000, 250_000);
    expect(w).toEqual({ x: 236, y: 450, width: 500, height: 500 });
    expect(windowCovers(w, 1000, 1000, [300, 700])).toBe(true);
    expect(windowCovers(w, 1000, 1000, [600, 700])).toBe(true);
    expect(windowCovers(w, 1000, 1000, [299, 700])).toBe(false);
    expect(windowCovers(w, 1000, 1000, [673, 700])).toBe(false);
  });

  it('needs no margin at the image\'s own edges', () => {
    const w = { x: 0, y: 0, width: 500, height: 500 };
    expect(windowCovers(w, 1000, 1000, [0, 0])).toBe(true);
    expect(windowCovers(w, 1000, 1000, [436, 436])).toBe(true);
    expect(windowCovers(w, 1000, 1000, [437, 100])).toBe(false);
    expect(windowCovers(w, 1000, 1000, [100, 437])).toBe(false);
  });

  it('says what to do when the anchor and the click lie too far apart for one window', () => {
    // 400 px apart plus two 64 px margins is more than 500.
    expect(() => liveWireWindow(1000, 1000, [[200, 700], [600, 700]], 500_000, 250_000)).toThrow(
      'The live-wire reads 500 × 500 px of this 1000 × 1000 image (1.0 MP) at a time, and this stretch spans 400 × 0 px: click closer to the last point.',
    );
    // 372 px apart fit.
    expect(liveWireWindow(1000, 1000, [[228, 700], [600, 700]], 500_000, 250_000).x).toBe(164);
  });
});

describe('the tracing worker on a window of the image (trace-handler.ts origin)', () => {
  const neurites = fileURLToPath(new URL('../../fixtures/neuronj/neurites.tif', import.meta.url));
  const image = decodeImage(new Uint8Array(readFileSync(neurites)));
  const { width, height } = image.info;
  const clicks: Array<[number, number, boolean]> = [[138.5, 328.5, false], [230, 262, false], [300, 205, true], [450.5, 81.5, false]];

  /** The message sequence trace-tool.ts sends for `clicks`, on the plane's part from (x0, y0), size w × h. */
  function trace(x0: number, y0: number, w: number, h: number): Pt[] {
    const worker = new TraceHandler();
    const ask = <R extends TraceRequest>(req: R) => worker.handle(req).value as Extract<TraceReply, { type: R['type'] }>['value'];
    const src = image.planes[0] as Uint8Array;
    const data = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) data.set(src.subarray((y + y0) * width + x0, (y + y0) * width + x0 + w), y * w);
    ask({ type: 'setPlane', data: data as PixelArray, width: w, height: h, scale: 2, origin: [x0, y0] });
    const origin = ask({ type: 'snap', x: clicks[0][0], y: clicks[0][1] });
    expect(ask({ type: 'anchor', x: origin[0], y: origin[1] }).anchor).toEqual([Math.floor(origin[0]) + 0.5, Math.floor(origin[1]) + 0.5]);
    const nodes: Pt[] = [origin];
    for (const [x, y, straight] of clicks.slice(1)) {
      const { points } = ask({ type: 'segment', x, y, snap: true, straight });
      expect(points[0]).toEqual(nodes.at(-1));
      nodes.push(...points.slice(1));
      ask({ type: 'anchor', x: points.at(-1)![0], y: points.at(-1)![1] });
    }
    return nodes;
  }

  it('answers in image px: the same path as on the whole plane, within 0.75 px', () => {
    const whole = trace(0, 0, width, height);
    const part = trace(60, 10, 460, 400);
    expect(part.length).toBeGreaterThan(40);
    // On the same neurite (NeuronJ's first tracing starts at (138, 328)); only the ridge filter near the window's
    // edges differs.
    expect(Math.hypot(part[0][0] - 138.5, part[0][1] - 328.5)).toBeLessThan(1.5);
    expect(Math.hypot(part.at(-1)![0] - whole.at(-1)![0], part.at(-1)![1] - whole.at(-1)![1])).toBeLessThan(0.5);
    expect(Math.max(...part.map(([x, y]) => distanceToPolyline(x, y, whole)))).toBeLessThan(0.75);
    expect(Math.max(...whole.map(([x, y]) => distanceToPolyline(x, y, part)))).toBeLessThan(0.75);
  });
});
