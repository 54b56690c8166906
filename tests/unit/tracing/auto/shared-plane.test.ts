import { describe, expect, it } from 'vitest';
import { TraceHandler } from '../../../../renderer/src/workers/trace-handler';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../../../shared/tracing/auto/prune-trace';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { computeCostImage } from '../../../../shared/tracing/cost-image';
import { traceField } from '../../../../shared/tracing/auto/trace-field';
import { SAMPLE_SEED } from '../../../../build/tools/sample-tiff';
import { syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';

// Automatic and manual tracing fit centre lines on one plane: the live-wire's smoothed plane, handed over by the
// tracing worker when it has one, and otherwise the same smoothing computed by the automatic tracer, bit for bit.

/** A bright diagonal-ish neurite with a side branch on a noisy background, 16-bit. */
function plane(width = 96, height = 64): Uint16Array {
  let state = 7;
  const noise = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648) * 40;
  const out = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const main = x > 6 && x < 90 ? Math.exp(-((y + 0.5 - (20 + 0.3 * x)) ** 2) / 4) : 0;
      const side = y > 8 && y < 40 ? Math.exp(-((x + 0.5 - 50.3) ** 2) / 4) : 0;
      out[x + width * y] = Math.round(1000 + 3000 * Math.max(main, side) + noise());
    }
  }
  return out;
}

const info = { width: 96, height: 64, bitsPerSample: 16 };

describe('the plane centre lines are fitted on', () => {
  const data = plane();
  const liveWire = computeCostImage(data, 96, 64).smoothed;

  it('the tracing worker hands over a copy of its smoothed plane (null before it has a plane)', () => {
    const worker = new TraceHandler();
    expect(worker.handle({ type: 'smoothed' })).toEqual({ type: 'smoothed', value: null });
    worker.handle({ type: 'setPlane', data, width: 96, height: 64, scale: 2 });
    const r = worker.handle({ type: 'smoothed' });
    expect(r.type).toBe('smoothed');
    const s = r.value as typeof liveWire;
    expect({ width: s.width, height: s.height, sigma: s.sigma }).toEqual({ width: 96, height: 64, sigma: liveWire.sigma });
    expect(Array.from(s.data)).toEqual(Array.from(liveWire.data));
  });

  it('given the live-wire plane the tracer uses it; its own plane is that smoothing bit for bit, so the trace is the same', () => {
    const shared = new AutoTracer(signalFromPlane(data, info), { pixelSize: 1, smoothed: liveWire });
    expect(shared.smoothed).toBe(liveWire);
    const own = new AutoTracer(signalFromPlane(data, info), { pixelSize: 1 });
    expect(own.smoothed).not.toBe(liveWire);
    expect(own.smoothed.sigma).toBe(liveWire.sigma);
    expect(Array.from(own.smoothed.data)).toEqual(Array.from(liveWire.data));
    const seed = { x: 8.5, y: 22.5 };
    const a = pruneTrace(shared.trace([shared.seedAt(seed.x, seed.y)]), { minBranchPx: 8 });
    const b = pruneTrace(own.trace([own.seedAt(seed.x, seed.y)]), { minBranchPx: 8 });
    expect(a[0].branches.length).toBeGreaterThanOrEqual(2);
    expect(a).toEqual(b);
  });

  it('a field with broken dendrites traced with the live-wire plane and without: the same neurons, node for node', () => {
    // Where the trace crosses a dark break, its centre line is fitted on little signal. The tracer's plane used to be
    // the stored values less the darkest one: fitted there, the two planes gave nodes up to px apart, and an image
    // traced by "Auto-trace all images" (no live-wire) was not found again when opened for review (with it).
    const s = syntheticNeurons({ seed: SAMPLE_SEED, breaks: 8, breakPx: 11 });
    const image = syntheticImage(s);
    const wire = computeCostImage(image.planes[0], s.width, s.height).smoothed;
    const traced = (smoothed?: typeof wire) => traceField(new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: s.calibration.pixelWidth, smoothed })).neurons;
    const withWire = traced(wire);
    expect(withWire).toHaveLength(4);
    expect(withWire).toEqual(traced());
  });

  it('with hot px in the picture: both take the same px out, so the tracer still uses the live-wire plane and traces as without it', () => {
    const hot = Uint16Array.from(data);
    for (const i of [5 * 96 + 70, 40 * 96 + 20, 60 * 96 + 90]) hot[i] = 60000;
    const wire = computeCostImage(hot, 96, 64).smoothed;
    // Smoothed, a hot px left in would stand thousands above the background (1000-4000).
    for (const i of [5 * 96 + 70, 40 * 96 + 20, 60 * 96 + 90]) expect(wire.data[i]).toBeLessThan(4100);
    const shared = new AutoTracer(signalFromPlane(hot, info), { pixelSize: 1, smoothed: wire });
    expect(shared.smoothed).toBe(wire);
    const own = new AutoTracer(signalFromPlane(hot, info), { pixelSize: 1 });
    expect(Array.from(own.smoothed.data)).toEqual(Array.from(wire.data));
    const seed = { x: 8.5, y: 22.5 };
    expect(pruneTrace(shared.trace([shared.seedAt(seed.x, seed.y)]), { minBranchPx: 8 })).toEqual(pruneTrace(own.trace([own.seedAt(seed.x, seed.y)]), { minBranchPx: 8 }));
  });

  it('is not taken from the live-wire when it is not the plane the tracer would make: flipped or shifted values, another scale or size', () => {
    const inverted = Uint16Array.from(data, (v) => 65535 - v);
    expect(new AutoTracer(signalFromPlane(inverted, info), { pixelSize: 1, smoothed: liveWire }).smoothed).not.toBe(liveWire);
    expect(new AutoTracer(signalFromPlane(data, info), { pixelSize: 1, smoothed: { ...liveWire, width: 95 } }).smoothed).not.toBe(liveWire);
    // The live-wire set to another scale smooths more: its plane is not the tracer's.
    const coarser = computeCostImage(data, 96, 64, { scale: 3 }).smoothed;
    expect(new AutoTracer(signalFromPlane(data, info), { pixelSize: 1, smoothed: coarser }).smoothed).not.toBe(coarser);
    // Values below 0 (a float plane) are shifted to start at 0: no longer the stored values the live-wire smoothed.
    const below = Float32Array.from(data, (v) => v - 2000);
    const belowInfo = { ...info, bitsPerSample: 32, sampleFormat: 'float' as const };
    const wire = computeCostImage(below, 96, 64).smoothed;
    expect(new AutoTracer(signalFromPlane(below, belowInfo), { pixelSize: 1, smoothed: wire }).smoothed).not.toBe(wire);
  });
});
