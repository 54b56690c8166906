import { describe, expect, it } from 'vitest';
import { measureDocument } from '../../../shared/analysis';
import { buildDoc } from './build';

const comb = () =>
  buildDoc({
    branches: [
      { from: 'soma', nodes: [[10, 0], [20, 0], [30, 0], [40, 0]] },
      { from: [0, 1], nodes: [[20, 10]], label: 'apical' },
      { from: [0, 2], nodes: [[30, 10]] },
    ],
  });

describe('morphometrics on hand-worked trees', () => {
  it('straight line: stem excluded from total length, included in the longest path', () => {
    const doc = buildDoc({ branches: [{ from: 'soma', nodes: [[10, 0], [20, 0], [30, 0]] }] });
    const [m] = measureDocument(doc, { sholl: false });
    expect(m.unit).toBe('µm');
    expect(m.morphometrics).toMatchObject({
      primaryBranches: 1, branchPoints: 0, tips: 1, branches: 1, totalLength: 20, stemLength: 10, meanBranchLength: 20,
      primaryBranchLengthSum: 20, terminalBranchLengthSum: 20, maxBranchOrder: 1, meanBranchOrder: 1, strahlerNumber: 1,
      longestPath: 30, somaArea: null, somaPerimeter: null,
    });
    expect(m.sholl).toBeNull();
    expect(m.warnings).toEqual([]);
  });

  it('Y: counts, lengths, orders, Strahler and the per-branch table', () => {
    const doc = buildDoc({
      branches: [
        { from: 'soma', nodes: [[10, 0], [20, 0], [20, 15]] },
        { from: [0, 1], nodes: [[20, -15]], label: 'apical' },
      ],
    });
    const [m] = measureDocument(doc);
    expect(m.morphometrics).toMatchObject({
      primaryBranches: 1, branchPoints: 1, tips: 2, branches: 3, totalLength: 40, stemLength: 10,
      primaryBranchLengthSum: 10, primaryBranchLengthMean: 10, terminalBranchLengthSum: 30, terminalBranchLengthMean: 15,
      maxBranchOrder: 2, strahlerNumber: 2, longestPath: 35,
    });
    expect(m.morphometrics.meanBranchLength).toBeCloseTo(40 / 3, 12);
    expect(m.morphometrics.meanBranchOrder).toBeCloseTo(5 / 3, 12);
    const doc0 = doc.neurons[0];
    expect(m.branches).toEqual([
      { id: 1, neuronId: 1, parentId: null, pathId: doc0.branches[0].id, label: 'dendrite', order: 1, strahler: 2, length: 10, end: 'branch-point' },
      { id: 2, neuronId: 1, parentId: 1, pathId: doc0.branches[0].id, label: 'dendrite', order: 2, strahler: 1, length: 15, end: 'tip' },
      { id: 3, neuronId: 1, parentId: 1, pathId: doc0.branches[1].id, label: 'apical', order: 2, strahler: 1, length: 15, end: 'tip' },
    ]);
  });

  it('comb: orders rise at every branch point, Strahler does not', () => {
    const [m] = measureDocument(comb());
    expect(m.morphometrics).toMatchObject({ primaryBranches: 1, branchPoints: 2, tips: 3, branches: 5, totalLength: 50, maxBranchOrder: 3, strahlerNumber: 2, longestPath: 40 });
    expect(m.morphometrics.meanBranchOrder).toBeCloseTo(11 / 5, 12);
    expect(m.branches.map((b) => [b.order, b.strahler, b.length, b.end])).toEqual([
      // root-to-tip creation order: the spine's segments first (parents always precede children), then the teeth
      [1, 2, 10, 'branch-point'],
      [2, 2, 10, 'branch-point'],
      [3, 1, 10, 'tip'],
      [2, 1, 10, 'tip'],
      [3, 1, 10, 'tip'],
    ]);
    expect(m.branches.map((b) => b.parentId)).toEqual([null, 1, 2, 1, 2]);
    expect(m.branches[3].label).toBe('apical');
  });

  it('Strahler: two order-2 children make an order-3 parent', () => {
    // full binary tree of depth 2 under one primary: root branch order 3.
    const doc = buildDoc({
      branches: [
        { from: 'soma', nodes: [[10, 0], [20, 10], [30, 15]] },
        { from: [0, 0], nodes: [[20, -10], [30, -15]] },
        { from: [0, 1], nodes: [[30, 5]] },
        { from: [1, 0], nodes: [[30, -5]] },
      ],
    });
    const [m] = measureDocument(doc, { sholl: false });
    expect(m.morphometrics.strahlerNumber).toBe(3);
    expect(m.morphometrics.branches).toBe(7);
    expect(m.morphometrics.tips).toBe(4);
  });

  it('label filter drops a branch with everything attached to it, and says so', () => {
    const [all] = measureDocument(comb(), { sholl: false });
    const [dend] = measureDocument(comb(), { sholl: false, labels: ['dendrite'] });
    expect(all.morphometrics.tips).toBe(3);
    expect(dend.morphometrics).toMatchObject({ tips: 2, branchPoints: 1, totalLength: 40 });
    expect(dend.warnings).toEqual(['1 path excluded by the label filter (with the paths attached to them).']);
    const [none] = measureDocument(comb(), { labels: ['axon'] });
    expect(none.morphometrics).toMatchObject({ primaryBranches: 0, tips: 0, totalLength: 0, branches: 0 });
    expect(none.sholl!.profile.length).toBe(0);
  });

  it('detached branches are excluded with a warning; multifurcations are reported', () => {
    const doc = buildDoc({
      branches: [
        { from: 'soma', nodes: [[10, 0], [20, 0], [30, 0]] },
        { from: [0, 1], nodes: [[20, 10]] },
        { from: [0, 1], nodes: [[20, -10]] },
        { from: 'none', nodes: [[100, 100], [110, 100]] },
      ],
    });
    const [m] = measureDocument(doc, { sholl: false });
    expect(m.morphometrics).toMatchObject({ primaryBranches: 1, branchPoints: 1, tips: 3, multifurcations: 1, totalLength: 40 });
    expect(m.warnings).toEqual([
      '1 detached path (not attached to the soma or another path) excluded.',
      'tips (3) ≠ primary branches (1) + branch points (1): 1 node has more than two children, so the tree is not strictly bifurcating.',
    ]);
  });

  it('neuron without soma: measured from the first node of its detached branch (no stem)', () => {
    const doc = buildDoc({ soma: null, branches: [{ from: 'none', nodes: [[0, 0], [10, 0], [20, 0]] }, { from: [0, 1], nodes: [[10, 10]] }] });
    const [m] = measureDocument(doc, { sholl: { start: 4, step: 4 } });
    expect(m.morphometrics).toMatchObject({ primaryBranches: 1, branchPoints: 1, tips: 2, totalLength: 30, stemLength: 0, longestPath: 20 });
    expect(m.sholl!.centre).toEqual({ x: 0, y: 0, z: 0 });
    // r = 4, 8: trunk; 12: trunk + side branch (tip at √200 ≈ 14.1); 16: trunk; 20: tip on the circle.
    expect(m.sholl!.profile.map((p) => p.crossings)).toEqual([1, 1, 2, 1, 1]);
  });

  it('calibration: x by pixelWidth, y by pixelHeight, z by voxelDepth; uncalibrated reports px', () => {
    const spec = { branches: [{ from: 'soma' as const, nodes: [[3, 0, 0], [3, 4, 0], [3, 4, 2]] as Array<[number, number, number]> }] };
    const cal = buildDoc({ ...spec, calibration: { pixelWidth: 0.5, pixelHeight: 2, voxelDepth: 3, unit: 'µm', source: 'user' } });
    const [m] = measureDocument(cal, { sholl: false });
    // stem 3·0.5 = 1.5; then 4 px·2 = 8 µm; then 2 slices·3 = 6 µm.
    expect(m.morphometrics.stemLength).toBe(1.5);
    expect(m.morphometrics.totalLength).toBe(14);
    const [p] = measureDocument(buildDoc({ ...spec, calibration: null }), { sholl: false });
    expect(p.unit).toBe('px');
    expect(p.morphometrics.totalLength).toBe(6);
    // No voxelDepth: z uses pixelWidth (isotropic).
    const [iso] = measureDocument(buildDoc({ ...spec, calibration: { pixelWidth: 0.5, pixelHeight: 2, unit: 'µm', source: 'user' } }), { sholl: false });
    expect(iso.morphometrics.totalLength).toBe(9);
  });

  it('polygon soma: area and perimeter in µm², µm; centre is the centroid', () => {
    const doc = buildDoc({
      soma: { polygon: [[0, 0], [10, 0], [10, 10], [0, 10]] },
      branches: [{ from: 'soma', nodes: [[5, 20]] }],
      calibration: { pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm', source: 'user' },
    });
    const [m] = measureDocument(doc, { sholl: { start: 2, step: 2 } });
    expect(m.morphometrics.somaArea).toBe(25);
    expect(m.morphometrics.somaPerimeter).toBe(20);
    expect(m.morphometrics.stemLength).toBe(7.5); // centroid (5,5) → (5,20) is 15 px = 7.5 µm
    expect(m.sholl!.centre).toEqual({ x: 2.5, y: 2.5, z: 0 });
    expect(m.sholl!.profile.map((p) => p.radius)).toEqual([2, 4, 6]);
  });
});
