import { describe, expect, it } from 'vitest';
import { syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import type { AutoNeuron } from '../../../../shared/tracing/auto/auto-neuron';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../../../shared/tracing/auto/prune-trace';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { traceAgain, traceField } from '../../../../shared/tracing/auto/trace-field';

// The review's corrections of Detect: a cell it missed is clicked ("Add a cell"), one it made up is dropped ("Not a
// cell"); the field is traced again with the starts as corrected, so neighbours give up or take the branches.

const sample = syntheticNeurons({ seed: 3, neurons: 4 });
const image = syntheticImage(sample);
const primaries = (n: AutoNeuron) => n.branches.filter((b) => b.parent < 0).length;
/** The generator's truth for the neuron whose cell body is nearest (x, y): its number of primary dendrites. */
const truthPrimaries = (x: number, y: number) => {
  const somata = sample.truth.neurons.map((n) => (n.soma?.kind === 'point' ? Math.hypot(n.soma.x - x, n.soma.y - y) : Infinity));
  const t = sample.truth.neurons[somata.indexOf(Math.min(...somata))];
  return t.branches.filter((b) => b.parent.kind === 'soma').length;
};

describe('tracing a detected field again with its starts corrected', () => {
  const tracer = new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: image.info.calibration?.pixelWidth ?? null });
  const detected = traceField(tracer);

  it('Detect finds the four cells, each with the primary dendrites of the truth', () => {
    expect(detected.neurons).toHaveLength(4);
    for (const n of detected.neurons) expect(primaries(n)).toBe(truthPrimaries(n.soma.x, n.soma.y));
  });

  it('a cell Detect missed: its neighbour had taken its dendrites; a click on its cell body gives them back, each cell as the truth has it', () => {
    const missed = detected.neurons[1];
    const branches = (ns: AutoNeuron[]) => ns.reduce((s, n) => s + n.branches.length, 0);
    // As Detect would have traced the field without the second cell: its neighbours take its dendrites.
    const without = traceAgain(tracer, detected.cache, { keep: [0, 2, 3] });
    expect(without.neurons).toHaveLength(3);
    expect(branches(without.neurons)).toBeGreaterThan(branches(detected.neurons) - missed.branches.length / 2);
    // The click on the missed cell body: added last, the neighbour back to its own dendrites.
    const added = traceAgain(tracer, without.cache, { keep: [0, 1, 2], add: [tracer.seedAt(missed.soma.x, missed.soma.y)] });
    expect(added.neurons.map((n) => [n.soma.x, n.soma.y])).toEqual([...[0, 2, 3, 1].map((k) => [detected.neurons[k].soma.x, detected.neurons[k].soma.y])]);
    for (const n of added.neurons) expect(primaries(n)).toBe(truthPrimaries(n.soma.x, n.soma.y));
    // The same trace as Detect's with the cell found, node for node.
    expect(added.neurons).toEqual([0, 2, 3, 1].map((k) => detected.neurons[k]));
  });

  it('a neuron discarded still competes: the others are traced as before, and a click on its cell body brings it back', () => {
    const discarded = detected.neurons[1];
    const others = traceAgain(tracer, detected.cache, { keep: [0, 2, 3], compete: [1] });
    expect(others.neurons).toEqual([0, 2, 3].map((k) => detected.neurons[k]));
    const back = traceAgain(tracer, others.cache, { keep: [0, 1, 2], add: [tracer.seedAt(discarded.soma.x, discarded.soma.y)] });
    expect(back.neurons).toEqual([0, 2, 3, 1].map((k) => detected.neurons[k]));
  });

  it('a click on a cell body already traced is refused, and bad starts are rejected', () => {
    const s = detected.neurons[0].soma;
    expect(() => traceAgain(tracer, detected.cache, { keep: [0, 1, 2, 3], add: [tracer.seedAt(s.x + 2, s.y)] })).toThrow('That cell body is traced already.');
    expect(() => traceAgain(tracer, detected.cache, { keep: [0], compete: [0] })).toThrow(RangeError);
    expect(() => traceAgain(tracer, detected.cache, { keep: [4] })).toThrow(RangeError);
    expect(() => traceAgain(tracer, detected.cache, { keep: [0.5] })).toThrow(RangeError);
  });

  it('Detect on a field partly traced: the cells in the document already are not traced again, and keep their dendrites', () => {
    const first = detected.neurons[0].soma;
    const partly = traceField(tracer, {}, undefined, [], [tracer.seedAt(first.x, first.y)]);
    expect(partly.skipped).toBe(1);
    // The other three, as Detect traced them with the first cell among them.
    expect(partly.neurons).toEqual(detected.neurons.slice(1));
    const all = detected.neurons.map((n) => tracer.seedAt(n.soma.x, n.soma.y));
    const again = traceField(tracer, {}, undefined, [], all);
    expect(again.skipped).toBe(4);
    expect(again.neurons).toEqual([]);
  });
});

describe('one tracer for several traces of a plane (the app keeps it while the plane stays the same)', () => {
  const fresh = () => new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: image.info.calibration?.pixelWidth ?? null });
  const somata = sample.truth.neurons.map((n) => (n.soma?.kind === 'point' ? { x: n.soma.x, y: n.soma.y } : { x: 0, y: 0 }));
  const clicked = (t: AutoTracer, k: number) => {
    const seed = t.seedAt(somata[k].x, somata[k].y);
    return pruneTrace(t.trace([seed], t.competitorsOf([seed])));
  };

  it('a click, another click and Detect on one tracer (prepared ahead of them) give, node for node, what a tracer of their own gives', () => {
    const kept = fresh();
    kept.prepare();
    const first = clicked(kept, 0);
    const second = clicked(kept, 2);
    const field = traceField(kept).neurons;
    expect(first).toEqual(clicked(fresh(), 0));
    expect(second).toEqual(clicked(fresh(), 2));
    expect(field).toEqual(traceField(fresh()).neurons);
    // Not the same trace three times: each is its own cell.
    expect(second[0].soma).not.toEqual(first[0].soma);
    expect(field).toHaveLength(4);
  });
});
