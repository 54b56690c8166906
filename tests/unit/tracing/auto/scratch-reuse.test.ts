import { afterEach, describe, expect, it } from 'vitest';
import { syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import { dropSpares, giveBack } from '../../../../shared/scratch-arrays';
import { computeCostImage } from '../../../../shared/tracing/cost-image';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../../../shared/tracing/auto/prune-trace';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { traceField } from '../../../../shared/tracing/auto/trace-field';

// The tracing stages borrow their large temporaries from shared/scratch-arrays and give them back. A borrowed array
// holds what its last user left: every stage must write what it reads. Here the spares are poisoned (NaN, −7, 0xAB)
// before each run, and each result must be the one computed with no spares at all. This proves the stages
// independent of the spares, not their numbers (the accuracy and stage tests hold those).

const sample = syntheticNeurons({ seed: 3, neurons: 4 });
const image = syntheticImage(sample);
const { width, height } = image.info;
const n = width * height;

function poisonSpares(): void {
  dropSpares();
  for (let k = 0; k < 4; k++) {
    giveBack(new Float32Array(n).fill(NaN), new Float64Array(n).fill(NaN), new Int32Array(n).fill(-7), new Uint8Array(n).fill(0xab));
  }
}

const tracerOf = () => new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: image.info.calibration?.pixelWidth ?? null });

describe('stages that reuse spare arrays (equivalence with fresh arrays, not accuracy)', () => {
  afterEach(() => dropSpares());

  it('Detect on a field: the same tracer planes and the same neurons, node for node, with poisoned spares as with none', () => {
    dropSpares();
    const fresh = tracerOf();
    const clean = traceField(fresh);
    poisonSpares();
    const reused = tracerOf();
    expect(Array.from(reused.foreground.mask).join('') === Array.from(fresh.foreground.mask).join('')).toBe(true);
    for (const plane of ['depth', 'strength', 'allowed'] as const) expect(reused[plane].every((v, i) => Object.is(v, fresh[plane][i]))).toBe(true);
    poisonSpares();
    const dirty = traceField(reused);
    expect(clean.neurons.length).toBe(4);
    expect(dirty.neurons).toEqual(clean.neurons);
  });

  it('a click, and a second click on the same tracer: the same tree as a fresh tracer gives', () => {
    dropSpares();
    const fresh = tracerOf();
    const s = sample.truth.neurons[2].soma as { x: number; y: number };
    const seed = fresh.seedAt(s.x, s.y);
    const clean = pruneTrace(fresh.trace([seed], fresh.competitorsOf([seed])));
    poisonSpares();
    const t = tracerOf();
    const seed2 = t.seedAt(s.x, s.y);
    poisonSpares();
    expect(pruneTrace(t.trace([seed2], t.competitorsOf([seed2])))).toEqual(clean);
    poisonSpares();
    expect(pruneTrace(t.trace([seed2], t.competitorsOf([seed2])))).toEqual(clean);
  });

  it("live-wire's cost image: the same costs and smoothed plane with poisoned spares", () => {
    dropSpares();
    const clean = computeCostImage(image.planes[0], width, height);
    poisonSpares();
    const dirty = computeCostImage(image.planes[0], width, height);
    expect(dirty.cost.data.every((v, i) => Object.is(v, clean.cost.data[i]))).toBe(true);
    expect(dirty.smoothed.data.every((v, i) => Object.is(v, clean.smoothed.data[i]))).toBe(true);
  });
});
