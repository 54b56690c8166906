import { describe, expect, it } from 'vitest';
import { TraceHandler } from '../../../../renderer/src/workers/trace-handler';
import { AutoTracer, pruneTrace } from '../../../../shared/tracing/auto/autotrace';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { computeCostImage } from '../../../../shared/tracing/cost-image';

// Automatic and manual tracing fit centre lines on one plane: the live-wire's smoothed plane, handed over by the
// tracing worker when it has one, and otherwise the same smoothing computed by the automatic tracer.

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

  it('given the live-wire plane the tracer uses it; its own plane is the same smoothing, so the nodes agree', () => {
    const shared = new AutoTracer(signalFromPlane(data, info), { pixelSize: 1, smoothed: liveWire });
    expect(shared.smoothed).toBe(liveWire);
    const own = new AutoTracer(signalFromPlane(data, info), { pixelSize: 1 });
    expect(own.smoothed).not.toBe(liveWire);
    expect(own.smoothed.sigma).toBe(liveWire.sigma);
    const seed = { x: 8.5, y: 22.5 };
    const a = pruneTrace(shared.trace([shared.seedAt(seed.x, seed.y)]), { minBranchPx: 8 });
    const b = pruneTrace(own.trace([own.seedAt(seed.x, seed.y)]), { minBranchPx: 8 });
    expect(a[0].branches.length).toBeGreaterThanOrEqual(2);
    // The two planes differ by the constant the signal subtracts (and float rounding): same peaks, same nodes.
    const flat = (n: typeof a) => n[0].branches.flatMap((br) => br.nodes.flatMap((p) => [p.x, p.y]));
    const fa = flat(a);
    const fb = flat(b);
    expect(fa.length).toBe(fb.length);
    for (let i = 0; i < fa.length; i++) expect(Math.abs(fa[i] - fb[i])).toBeLessThan(1e-3);
  });

  it('is not taken from the live-wire when the signal was flipped or the sizes differ', () => {
    const inverted = Uint16Array.from(data, (v) => 65535 - v);
    expect(new AutoTracer(signalFromPlane(inverted, info), { pixelSize: 1, smoothed: liveWire }).smoothed).not.toBe(liveWire);
    expect(new AutoTracer(signalFromPlane(data, info), { pixelSize: 1, smoothed: { ...liveWire, width: 95 } }).smoothed).not.toBe(liveWire);
  });
});
