import { describe, expect, it } from 'vitest';
import { syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import { diademMetric } from '../../../../shared/analysis/diadem';
import { buildNodeTree, measureNeuron, scaleOf } from '../../../../shared/analysis/index';
import { tracingDistance, treeSegments } from '../../../../shared/analysis/tracing-distance';
import { keyPointErrors, neuronAtSoma } from '../../../../shared/tracing/auto/gold-standard';
import { autoTraceImage, documentWithNeurons } from '../../../../shared/tracing/auto/run';

/**
 * Whole culture fields (1024², four neurons, glia nuclei, noise, background gradient) from the seeded generator,
 * traced with no click at all and scored per neuron against the generator's ground truth.
 */
describe('field detection + tracing on synthetic culture fields (3 fields, 12 neurons)', () => {
  const rows: Array<{ primaries: [number, number]; bp: [number, number]; length: [number, number]; pctSsd: number; diadem: [number, number]; nmax: [number, number]; shollSum: [number, number] }> = [];
  /** Per true branch point: distance to the nearest traced branch point of the matched neuron (px). */
  const junctionErrors: number[] = [];
  let missed = 0;
  let extra = 0;
  /** What the tracer was unsure of, per path drawn. */
  const doubts: string[] = [];
  for (const seed of [1, 2, 3]) {
    const s = syntheticNeurons({ seed, neurons: 4 });
    const image = syntheticImage(s);
    const r = autoTraceImage(image);
    for (const n of r.neurons) for (const b of n.branches) doubts.push(...b.doubts);
    const doc = documentWithNeurons(r.neurons, null, s.calibration);
    const scale = scaleOf(s.calibration);
    extra += Math.max(0, doc.neurons.length - s.truth.neurons.length);
    for (const t of s.truth.neurons) {
      const match = neuronAtSoma(doc, t);
      if (!match) {
        missed++;
        continue;
      }
      // The app's Sholl defaults (from 10 µm in 1 µm steps), as the lab reads Nmax off a traced neuron.
      const truth = measureNeuron(t, scale);
      const auto = measureNeuron(match, scale);
      const mt = truth.morphometrics;
      const ma = auto.morphometrics;
      const truthTree = buildNodeTree(t, scaleOf(null));
      const tracedTree = buildNodeTree(match, scaleOf(null));
      const d = tracingDistance(treeSegments(truthTree), treeSegments(tracedTree), 2);
      const flat = (n: typeof truthTree) => ({ x: n.x, y: n.y, z: new Float64Array(n.count), parent: n.parent });
      junctionErrors.push(...keyPointErrors(flat(truthTree), flat(tracedTree)).forks);
      const diadem = (xy: number) => diademMetric(flat(truthTree), flat(tracedTree), { xyThreshold: xy }).score;
      rows.push({ primaries: [ma.primaryBranches, mt.primaryBranches], bp: [ma.branchPoints, mt.branchPoints], length: [ma.totalLength, mt.totalLength], pctSsd: d.pctSsd, diadem: [diadem(1.2), diadem(3)], nmax: [auto.sholl!.maxCrossings, truth.sholl!.maxCrossings], shollSum: [auto.sholl!.sumCrossings, truth.sholl!.sumCrossings] });
    }
  }

  it('finds every cell body and nothing else (glia nuclei are not in the dendrite channel)', () => {
    expect(missed).toBe(0);
    expect(extra).toBe(0);
    expect(rows.length).toBe(12);
  });

  it('nothing drawn uncertain: every dendrite is stained all along and at least 12 px from other cells’ dendrites', () => {
    // The search runs on past each tip through specks of noise, across dark and near other cells; read over those
    // pixels too, 51 of 145 paths were flagged as crossing a gap or touching another cell.
    expect(doubts).toEqual([]);
  });

  it('primary dendrites exact on at least 11 of 12 neurons', () => {
    expect(rows.filter((r) => r.primaries[0] === r.primaries[1]).length).toBeGreaterThanOrEqual(11);
  });

  it('branch-point count within 25 % on at least 10 of 12 neurons', () => {
    expect(rows.filter((r) => Math.abs(r.bp[0] - r.bp[1]) <= 0.25 * r.bp[1]).length).toBeGreaterThanOrEqual(10);
  });

  it('total dendritic length within 10 % on every neuron', () => {
    for (const r of rows) expect(Math.abs(r.length[0] - r.length[1]) / r.length[1]).toBeLessThanOrEqual(0.1);
  });

  it('Sholl Nmax, the number the lab reports: Nmax within 1 of the truth on every neuron and exact on at least half of them; crossings summed over all shells within 10 %', () => {
    for (const r of rows) expect(Math.abs(r.nmax[0] - r.nmax[1])).toBeLessThanOrEqual(1);
    expect(rows.filter((r) => r.nmax[0] === r.nmax[1]).length).toBeGreaterThanOrEqual(6);
    for (const r of rows) expect(Math.abs(r.shollSum[0] - r.shollSum[1]) / r.shollSum[1]).toBeLessThanOrEqual(0.1);
  });

  it('branch points sit where the centre lines meet: median distance to the true one ≤ 1.1 px (2.7 px where the search split)', () => {
    const sorted = [...junctionErrors].sort((a, b) => a - b);
    expect(sorted.length).toBeGreaterThan(90);
    // 1.74 px before a child whose line only grazes its parent where the parent turns met it at the bend (junction.ts);
    // 1.46 px before a fork where the parent's line cuts a corner went where the lines meet (corner-at-split.ts).
    expect(sorted[sorted.length >> 1]).toBeLessThanOrEqual(1.1);
  });

  it('DIADEM (excess nodes counted): mean ≥ 0.88 and none below 0.8 at 3 px; mean ≥ 0.8 at 1.2 px (tips end where the signal does, and a dimming neurite where its dimmer part does)', () => {
    const mean = (k: 0 | 1) => rows.reduce((a, r) => a + r.diadem[k], 0) / rows.length;
    expect(mean(1)).toBeGreaterThanOrEqual(0.88);
    for (const r of rows) expect(r.diadem[1]).toBeGreaterThanOrEqual(0.8);
    expect(mean(0)).toBeGreaterThanOrEqual(0.8);
  });

  it('Vaa3D %SSD (2 px) ≤ 0.10 on every neuron', () => {
    for (const r of rows) expect(r.pctSsd).toBeLessThanOrEqual(0.1);
  });
});
