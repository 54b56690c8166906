import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureDocument } from '../../../shared/analysis';
import { parseSwc, SWC_CENTRES, swcVoxelSize, writeSwc } from '../../../shared/formats/swc';
import { decodeImage } from '../../../shared/image/decode';
import { sharedData } from '../tracing/auto/reference-data';
import { RamifyError } from '../../../shared/result';

const ROOT = join(__dirname, '../../fixtures/swc');
const list = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? list(join(dir, f)) : f.endsWith('.swc') ? [join(dir, f)] : []));
const FILES = list(ROOT).map((f) => relative(ROOT, f)).sort();
const load = (name: string) => parseSwc(readFileSync(join(ROOT, name), 'utf8'), { name }).document;

const EXPECTED_FAILURES: Record<string, string> = {
  'neurom/Neuron_missing_ids.swc': 'SWC line 42: sample 8 has parent 7, which is not in the file.',
  'neurom/Neuron_missing_parents.swc': 'SWC line 40: sample 6 has parent 5, which is not in the file.',
  'neurom/repeated_id.swc': 'SWC line 6: sample id 4 is repeated (first defined on line 5).',
  'neurom/soma_with_neurite_parent.swc': 'SWC line 8: soma sample 6 has parent 5 of type 3; soma samples must form the root of a tree.',
};

const error = (text: string): RamifyError => {
  try {
    parseSwc(text);
  } catch (e) {
    if (e instanceof RamifyError) return e;
    throw e;
  }
  throw new Error('parsed without error');
};

/** Deep equality where non-integer numbers may differ by 1e-10 relative (SWC text keeps 12 significant digits). */
function expectSame(a: unknown, b: unknown, path = 'doc'): void {
  if (typeof a === 'number' && typeof b === 'number' && !(Number.isInteger(a) && Number.isInteger(b))) {
    if (Math.abs(a - b) > 1e-10 * Math.max(1, Math.abs(a))) throw new Error(`${path}: ${a} ≠ ${b}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    expect(Object.keys(b).sort(), path).toEqual(ka);
    for (const k of ka) expectSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    return;
  }
  expect(b, path).toEqual(a);
}

describe('SWC import of every fixture', () => {
  it('finds all 61 reference files', () => expect(FILES.length).toBe(61));

  it.each(FILES)('%s loads, or fails naming its line', (name) => {
    const text = readFileSync(join(ROOT, name), 'utf8');
    if (EXPECTED_FAILURES[name]) {
      expect(() => parseSwc(text)).toThrow(RamifyError);
      expect(error(text).message).toBe(EXPECTED_FAILURES[name]);
      expect(error(text).code).toBe('swc-malformed');
    } else {
      const doc = parseSwc(text).document;
      expect(doc.neurons.length).toBeGreaterThan(0);
      expect(doc.calibration).toEqual({ pixelWidth: 1, pixelHeight: 1, unit: 'µm', source: 'user' });
    }
  });

  it.each(FILES.filter((f) => !EXPECTED_FAILURES[f]))('%s round-trips: import → export → import gives the same tree and metrics', (name) => {
    const first = load(name);
    const text = writeSwc(first);
    const second = parseSwc(text, { name }).document;
    expectSame(first, second);
    const a = measureDocument(first, { sholl: { start: 1, step: 1 } });
    const b = measureDocument(second, { sholl: { start: 1, step: 1 } });
    expect(b.length).toBe(a.length);
    for (let i = 0; i < a.length; i++) {
      expect(b[i].morphometrics.totalLength).toBeCloseTo(a[i].morphometrics.totalLength, 6);
      expect(b[i].morphometrics.tips).toBe(a[i].morphometrics.tips);
      expect(b[i].morphometrics.branchPoints).toBe(a[i].morphometrics.branchPoints);
      expect(b[i].sholl!.profile.map((p) => p.crossings)).toEqual(a[i].sholl!.profile.map((p) => p.crossings));
    }
  });
});

describe('SWC structure rules', () => {
  it('simple.swc (NeuroM): point soma, a dendrite and an axon, each one bifurcation; total length 31 by hand', () => {
    const doc = load('neurom/simple.swc');
    const n = doc.neurons[0];
    // SWC counts from pixel centres, document px from pixel corners: (0, 0) µm at 1 µm/px is pixel (0, 0)'s centre.
    expect(n.soma).toEqual({ kind: 'point', x: 0.5, y: 0.5, z: 0, r: 1 });
    expect(n.branches.map((b) => [b.label, b.parent.kind, b.nodes.length])).toEqual([
      ['dendrite', 'soma', 3], // (0,0) (0,5) (-5,5)
      ['dendrite', 'node', 1], // (6,5)
      ['axon', 'soma', 3], // (0,0) (0,-4) (6,-4)
      ['axon', 'node', 1], // (-5,-4)
    ]);
    const [m] = measureDocument(doc, { sholl: { start: 1, step: 1 } });
    // basal 5 + 5 + 6, axon 4 + 6 + 5 (NeuroM's total_length for simple.swc is also 31).
    expect(m.morphometrics).toMatchObject({ primaryBranches: 2, branchPoints: 2, tips: 4, branches: 6, totalLength: 31, stemLength: 0, maxBranchOrder: 2, strahlerNumber: 2, longestPath: 11 });
    // r=4: dendrite trunk + axon fork node on the circle; r=5: dendrite fork on the circle + two axon crossings.
    expect(m.sholl!.profile.map((p) => [p.radius, p.crossings])).toEqual([[1, 2], [2, 2], [3, 2], [4, 2], [5, 3], [6, 4], [7, 3]]);
  });

  it('row order does not matter: reversed and disordered files equal their ordered twins', () => {
    const metrics = (f: string) => measureDocument(load(f), { sholl: { start: 1, step: 0.5 } }).map((m) => ({ ...m, name: '' }));
    expect(metrics('neurom/simple_reversed.swc').map((m) => m.morphometrics)).toEqual(metrics('neurom/simple.swc').map((m) => m.morphometrics));
    expect(metrics('neurom/ordering/sample_disordered.swc').map((m) => m.morphometrics)).toEqual(metrics('neurom/ordering/sample.swc').map((m) => m.morphometrics));
  });

  it('strahler.swc: Horton–Strahler number 4, worked out by hand from the file', () => {
    // forks 7 and 10 (two tips each) → 2; fork 6 (2, 2) → 3; forks 16, 19 → 2; 15 (2, 2) → 3; 13 (tip, 3) → 3;
    // 5 (3, 3) → 4; 3 (tip, 4) → 4; the primary branch ends at 3 and carries 4.
    const [m] = measureDocument(load('neurom/strahler.swc'), { sholl: false });
    expect(m.morphometrics.strahlerNumber).toBe(4);
    expect(m.morphometrics).toMatchObject({ primaryBranches: 1, branchPoints: 9, tips: 10, branches: 19 });
  });

  it('ids need not start at 1', () => {
    const a = measureDocument(load('neurom/sequential_trunk_off_0_16pt.swc'))[0].morphometrics;
    const b = measureDocument(load('neurom/sequential_trunk_off_42_16pt.swc'))[0].morphometrics;
    expect(b).toEqual(a);
  });

  it('three-point soma → point soma at the middle row; stems from it', () => {
    const doc = load('neurom/soma/three_pt_soma.swc');
    expect(doc.neurons[0].soma).toEqual({ kind: 'point', x: 0.5, y: 0.5, z: 0, r: 2 });
    const [m] = measureDocument(doc, { sholl: false });
    expect(m.morphometrics.primaryBranches).toBe(4);
    expect(m.morphometrics.totalLength).toBe(16);
    expect(m.morphometrics.stemLength).toBeCloseTo(4 + Math.sqrt(10) + Math.sqrt(37) + 9, 12);
  });

  it('split soma → point soma at the mean of its rows, r = largest radius', () => {
    const soma = load('neurom/split_soma_two_neurites.swc').neurons[0].soma!;
    expect(soma.kind).toBe('point');
    if (soma.kind === 'point') {
      expect([soma.x, soma.y, soma.r]).toEqual([2.5, 0.5, 4]);
      expect(soma.z).toBeCloseTo(1 / 3, 15);
    }
  });

  it('contour soma → polygon with its centroid as centre', () => {
    const text = ['1 1 0 0 0 1 -1', '2 1 10 0 0 1 1', '3 1 10 10 0 1 2', '4 1 0 10 0 1 3', '5 3 5 20 0 1 1'].join('\n');
    const doc = parseSwc(text).document;
    expect(doc.neurons[0].soma).toEqual({ kind: 'polygon', points: [{ x: 0.5, y: 0.5 }, { x: 10.5, y: 0.5 }, { x: 10.5, y: 10.5 }, { x: 0.5, y: 10.5 }], z: 0 });
    const [m] = measureDocument(doc, { sholl: false });
    expect(m.morphometrics).toMatchObject({ somaArea: 100, somaPerimeter: 40, stemLength: 15 });
    expectSame(doc, parseSwc(writeSwc(doc)).document);
    // The same four rows on a straight line are no region: point soma.
    const line = parseSwc(['1 1 0 0 0 1 -1', '2 1 1 0 0 1 1', '3 1 2 0 0 1 2', '4 1 3 0 0 1 3'].join('\n')).document;
    expect(line.neurons[0].soma).toEqual({ kind: 'point', x: 2, y: 0.5, z: 0, r: 1 });
  });

  it('several trees → several neurons; a tree without soma → soma null and a detached root branch', () => {
    const multi = load('neurom/multiple_somata.swc');
    expect(multi.neurons.map((n) => [n.name, n.soma?.kind, n.branches.length])).toEqual([
      ['neurom/multiple_somata.swc (tree 1)', 'point', 4],
      ['neurom/multiple_somata.swc (tree 2)', 'point', 0],
    ]);
    const noSoma = load('neurom/Single_apical_no_soma.swc');
    expect(noSoma.neurons[0].soma).toBeNull();
    expect(noSoma.neurons[0].branches[0].parent).toEqual({ kind: 'none' });
    const a = measureDocument(noSoma, { sholl: false })[0].morphometrics;
    const b = measureDocument(load('neurom/Single_apical.swc'), { sholl: false })[0].morphometrics;
    expect([a.tips, a.branchPoints, a.totalLength]).toEqual([b.tips, b.branchPoints, expect.closeTo(b.totalLength, 9)]);
    expect(load('neurom/Neuron_disconnected_components.swc').neurons.length).toBe(5);
  });

  it('types: 0 undefined, 2 axon, 3 dendrite, 4 apical, 5+ custom; a type change starts a branch on that node', () => {
    const labels = (f: string) => [...new Set(load(f).neurons[0].branches.map((b) => b.label))];
    expect(labels('neurom/undefined_type.swc')).toEqual(['dendrite', 'undefined']);
    expect(labels('neurom/custom_type.swc')).toEqual(['dendrite', 'custom:5']);
    expect(labels('neurom/ordering/reversed_NRN_neurite_order.swc')).toEqual(['apical', 'dendrite', 'axon']);
    const het = load('neurom/heterogeneous_morphology.swc').neurons[0];
    const axon = het.branches.filter((b) => b.label === 'axon');
    expect(axon[0].parent.kind).toBe('node');
    const [m] = measureDocument(load('neurom/heterogeneous_morphology.swc'), { sholl: false, labels: ['dendrite', 'apical'] });
    // the axon subtree (rows 13–17) is three branches: 13–14, 15–16 and 17
    expect(m.warnings).toEqual(['3 paths excluded by the label filter (with the paths attached to them).']);
    expect(m.morphometrics.tips).toBe(8);
  });

  it('µm → px through the calibration argument', () => {
    const cal = { pixelWidth: 0.5, pixelHeight: 0.25, unit: 'µm' as const, source: 'user' as const };
    const doc = parseSwc(readFileSync(join(ROOT, 'neurom/simple.swc'), 'utf8'), { calibration: cal }).document;
    expect(doc.calibration).toBe(cal);
    const n = doc.neurons[0].branches[0].nodes[1];
    // (0, 5) µm: column 0, row 20 at 0.5 × 0.25 µm/px; their centres are at 0.5 and 20.5 document px.
    expect([n.x, n.y, n.z, n.r]).toEqual([0.5, 20.5, 0, 2]);
    expect(measureDocument(doc, { sholl: false })[0].morphometrics.totalLength).toBe(31);
    expect(writeSwc(doc)).toContain('\n3 3 0 5 0 1 2\n');
  });

  const treeV = sharedData('swc/snt/TreeV.swc');
  const tif = sharedData('micrographs/snt/TreeV.tif');
  it.skipIf(!treeV || !tif)('x and y count from pixel centres as SNT writes them: TreeV.swc lies on TreeV.tif’s pixel centres', () => {
    // SNT's TreeV.swc (1 µm/px) is the skeleton of TreeV.tif: its nodes are the foreground pixels' indices. Read, each
    // node must sit on a foreground pixel's centre (i + ½ in document px), not on a corner.
    if (!treeV || !tif) return;
    const image = decodeImage(tif);
    const plane = image.planes[0];
    const nodes = parseSwc(new TextDecoder().decode(treeV)).document.neurons.flatMap((n) => n.branches.flatMap((b) => b.nodes));
    expect(nodes.length).toBeGreaterThan(100);
    expect(nodes.filter((p) => p.x % 1 !== 0.5 || p.y % 1 !== 0.5)).toEqual([]);
    expect(nodes.filter((p) => plane[Math.floor(p.x) + image.info.width * Math.floor(p.y)] === 0)).toEqual([]);
  });

  it('writes what it reads, and reads SWC from Ramify versions that counted from pixel corners as they were written', () => {
    const text = '1 1 10 20 0 3 -1\n2 3 14 20 0 1 1\n';
    const doc = parseSwc(text).document;
    expect(doc.neurons[0].branches[0].nodes[0]).toMatchObject({ x: 14.5, y: 20.5 });
    const written = writeSwc(doc);
    expect(written).toContain(SWC_CENTRES);
    expect(written).toContain('\n1 1 10 20 0 3 -1\n2 3 14 20 0 1 1\n');
    // An older Ramify SWC: its header lacks SWC_CENTRES, and its numbers are document px × pixel size.
    const old = parseSwc('# SWC written by Ramify\n# units: µm\n' + text).document;
    expect(old.neurons[0].branches[0].nodes[0]).toMatchObject({ x: 14, y: 20 });
  });

  it('CRLF, inline comments, tabs', () => {
    const doc = parseSwc('# c\r\n1\t1 0 0 0 1 -1 # soma\r\n\r\n2 3 3 4 0 1 1\r\n').document;
    expect(measureDocument(doc, { sholl: false })[0].morphometrics.stemLength).toBe(5);
  });

  it('malformed rows fail with the line named', () => {
    expect(error('1 1 0 0 0 1 -1\n2 3 0 0 0 1\n').message).toBe('SWC line 2: expected 7 columns (n T x y z R P), found 6.');
    expect(error('1 1 0 0 0 1 -1\n2 3 0 abc 0 1 1\n').message).toBe("SWC line 2: y must be a number, found 'abc'.");
    expect(error('1 1 0 0 0 1 -1\n2.5 3 0 0 0 1 1\n').message).toBe("SWC line 2: id (n) must be an integer, found '2.5'.");
    expect(error('1 1 0 0 0 1 -1\n2 3 0 0 0 1 3\n3 3 0 0 0 1 2\n').message).toBe('SWC line 2: sample 2 is part of a parent cycle (it never leads back to a root).');
    expect(error('1 1 0 0 0 1 -1\n2 3 0 0 0 1 2\n').message).toBe('SWC line 2: sample 2 is its own parent.');
    expect(error('# nothing\n').code).toBe('swc-empty');
    expect(error('1 -1 0 0 0 1 -1\n').message).toBe('SWC line 1: type (T) must be ≥ 0, found -1.');
  });
});

describe('SWC export', () => {
  it('refuses uncalibrated documents unless allowPixels', () => {
    const doc = { ...load('neurom/simple.swc'), calibration: null };
    expect(() => writeSwc(doc)).toThrow(/no pixel size/);
    expect(writeSwc(doc, { allowPixels: true })).toContain('image px');
  });

  it('named custom labels survive through a header line; detached branches become their own trees', () => {
    const doc = load('neurom/simple.swc');
    doc.neurons[0].branches[1].label = 'custom:spine';
    doc.neurons[0].branches.push({ id: 900, label: 'dendrite', parent: { kind: 'none' }, nodes: [{ id: 901, x: 50, y: 50, z: 0 }, { id: 902, x: 60, y: 50, z: 0 }] });
    const text = writeSwc(doc);
    expect(text).toContain('# ramify-label 5 custom:spine');
    const again = parseSwc(text).document;
    expect(again.neurons.length).toBe(2);
    expect(again.neurons[0].branches[1].label).toBe('custom:spine');
    expect(again.neurons[1].soma).toBeNull();
  });
});

describe('the voxel size an SWC header states', () => {
  it("reads SNT's header line (OP_1's gold standard: 0.3296… µm in x and y, 0.9988 µm in z); none without it", () => {
    const op1 = sharedData('swc/snt/OP_1-gs.swc');
    if (op1 || process.env.CI === 'true') expect(swcVoxelSize(new TextDecoder().decode(op1))).toEqual({ pixelWidth: 0.32964852215271034, pixelHeight: 0.32964852215271034, voxelDepth: 0.9988 });
    expect(swcVoxelSize('# Voxel separation (x,y,z): 1.0, 1.0, 1.0\n1 1 0 0 0 1 -1\n')).toEqual({ pixelWidth: 1, pixelHeight: 1, voxelDepth: 1 });
    expect(swcVoxelSize('# TREES toolbox tree\n1 1 0 0 0 1 -1\n')).toBeNull();
    expect(swcVoxelSize('# Voxel separation (x,y,z): 0, 0.5, 1\n')).toBeNull();
    expect(swcVoxelSize('# Voxel separation (x,y,z): 0.5, 0.5\n')).toBeNull();
  });

  it('Ramify writes its pixel size in the same words, and reads it back; an uncalibrated document states none', () => {
    const doc = { ...load('neurom/simple.swc'), calibration: { pixelWidth: 0.125, pixelHeight: 0.25, voxelDepth: 2, unit: 'µm' as const, source: 'user' as const } };
    const text = writeSwc(doc);
    expect(text.split('\n')).toContain('# Voxel separation (x,y,z): 0.125, 0.25, 2');
    expect(swcVoxelSize(text)).toEqual({ pixelWidth: 0.125, pixelHeight: 0.25, voxelDepth: 2 });
    expect(swcVoxelSize(writeSwc({ ...doc, calibration: null }, { allowPixels: true }))).toBeNull();
  });
});
