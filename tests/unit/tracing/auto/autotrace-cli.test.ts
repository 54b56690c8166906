import { execFile } from 'node:child_process';
import { encode as encodePng } from 'fast-png';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli/ramify';
import { loadProject, readImageAnnotation, saveProject } from '../../../../electron/services/project-service';
import { setTracing } from '../../../../shared/project/project';
import { parseAnnotation } from '../../../../shared/formats/annotation-file';
import { encodeTiff } from '../../../../shared/formats/tiff/encode';
import { decodeImage } from '../../../../shared/image/decode';
import { imagejDescription } from '../../../../shared/image/imagej';
import { mergeChannels } from '../../../../shared/image/merge-channels';
import { SAMPLE_SEED, sampleTiff } from '../../../../build/tools/sample-tiff';
import { syntheticNeurons } from '../../../../build/tools/synthetic-neuron';

async function ramify(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

/**
 * 120×120 8-bit cell at 0.5 µm/px: background 10, soma disk r = 8 px at pixel (60, 60) of value 200, and three
 * straight 3 px wide dendrites of value 150 ending at pixel columns/rows 10 (up, left) and 109 (right).
 */
function cellTiff(): Uint8Array {
  const w = 120;
  const p = new Uint8Array(w * w).fill(10);
  for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) if ((x - 60) ** 2 + (y - 60) ** 2 <= 64) p[x + w * y] = 200;
  for (let k = -1; k <= 1; k++) {
    for (let x = 69; x <= 109; x++) p[x + w * (60 + k)] = 150;
    for (let x = 10; x <= 51; x++) p[x + w * (60 + k)] = 150;
    for (let y = 10; y <= 51; y++) p[60 + k + w * y] = 150;
  }
  return encodeTiff({ width: w, height: w, planes: [p], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', imagejDescription: imagejDescription({ unit: 'micron' }), resolution: { x: 2, y: 2, unit: 'cm' } });
}

/** The same field without a cell body: a 3 px wide fibre entering at the left edge along row 60, a branch up at x 60. */
function fibreTiff(): Uint8Array {
  const w = 120;
  const p = new Uint8Array(w * w).fill(10);
  for (let k = -1; k <= 1; k++) {
    for (let x = 0; x <= 100; x++) p[x + w * (60 + k)] = 150;
    for (let y = 15; y <= 58; y++) p[60 + k + w * y] = 150;
  }
  return encodeTiff({ width: w, height: w, planes: [p], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', imagejDescription: imagejDescription({ unit: 'micron' }), resolution: { x: 2, y: 2, unit: 'cm' } });
}

/**
 * The cell in the second of three channels (as a colour micrograph of green neurons): the first holds noise (8–23,
 * a fixed sequence), the third a flat 5.
 */
function cellInChannel2Tiff(): Uint8Array {
  const w = 120;
  const cellPlane = decodeImage(cellTiff()).planes[0] as Uint8Array;
  let seed = 1;
  const noise = Uint8Array.from({ length: w * w }, () => 8 + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 28));
  return encodeTiff({ width: w, height: w, planes: [noise, cellPlane, new Uint8Array(w * w).fill(5)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', imagejDescription: imagejDescription({ unit: 'micron', channels: 3 }), resolution: { x: 2, y: 2, unit: 'cm' } });
}

/**
 * 96×64, 8 slices 1.5 µm apart, 0.5 µm/px: soma (r 8 px = 4 µm) at (20, 32) and a dendrite along y = 32 to x = 80, in
 * slice 3 (1-based) for x < 50 and slice 6 from x = 50; neighbouring slices see 40 % of each.
 */
function stackTiff(): Uint8Array {
  const w = 96;
  const planes = Array.from({ length: 8 }, () => new Uint8Array(w * 64).fill(10));
  const put = (z: number, i: number, v: number) => {
    for (const [dz, f] of [[0, 1], [-1, 0.4], [1, 0.4]] as const) planes[z + dz][i] = Math.max(planes[z + dz][i], Math.round(10 + f * (v - 10)));
  };
  for (let y = 0; y < 64; y++) for (let x = 0; x < w; x++) if ((x - 20) ** 2 + (y - 32) ** 2 <= 64) put(2, x + w * y, 200);
  for (let x = 28; x <= 80; x++) for (let y = 31; y <= 33; y++) put(x < 50 ? 2 : 5, x + w * y, 150);
  return encodeTiff({ width: w, height: 64, planes, bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', imagejDescription: imagejDescription({ slices: 8, unit: 'micron', spacing: 1.5 }), resolution: { x: 2, y: 2, unit: 'cm' } });
}

let dir: string;
let cell: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ramify-autotrace-'));
  cell = join(dir, 'cell.tif');
  await writeFile(cell, cellTiff());
  await writeFile(join(dir, 'fibre.tif'), fibreTiff());
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ramify autotrace IMAGE', () => {
  it('one click on the soma gives its three dendrites: no branch point, three tips, ~40 px each', async () => {
    const r = await ramify('autotrace', cell, '--soma', '60.5,60.5', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.neurons.length).toBe(1);
    const n = out.neurons[0];
    expect(n.soma).toEqual({ x: 60.5, y: 60.5 });
    expect([n.branches, n.branch_points, n.tips]).toEqual([3, 0, 3]);
    // Each dendrite runs from the soma region's edge (~9.5 px from the centre) to its last pixel centre (49.5 px).
    expect(n.length_px).toBeGreaterThan(3 * 38);
    expect(n.length_px).toBeLessThan(3 * 41);
    expect(out.parameters).toMatchObject({ channel: 1, pixel_size_um: 0.5, seeds: 'given', min_branch_px: 10 });
    expect(out.timings.totalMs).toBeGreaterThan(0);
  });

  it('a --soma on background says nothing was traced there, and the file written holds no empty neuron for it', async () => {
    const file = join(dir, 'two-clicks.ramify.json');
    const r = await ramify('autotrace', cell, '--soma', '100,100', '--soma', '60.5,60.5', '--out', file);
    expect([r.code, r.err]).toEqual([0, '']);
    const lines = r.out.split('\n');
    // Before: "neuron 1 at (100.5, 100.5) (fibre start): 0 branches, …", and an empty Neuron 1 in the file.
    expect(lines[0]).toBe('neuron 1: nothing traced at (100.5, 100.5): no cell body or stained neurite at that --soma');
    expect(lines[1]).toBe('neuron 2 at (60.5, 60.5): 3 branches, 0 branch points, 3 tips, ' + lines[1].split(' tips, ')[1]);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.document.neurons.map((n: { branches: unknown[] }) => n.branches.length)).toEqual([3]);
  });

  it('without --soma detects the one cell body', async () => {
    const out = JSON.parse((await ramify('autotrace', cell, '--json')).out);
    expect(out.neurons.map((n: { soma: unknown }) => n.soma)).toEqual([{ x: 60.5, y: 60.5 }]);
    expect(out.parameters.seeds).toBe('detected');
  });

  it('without --soma on a field without a cell body: the fibre, from where it enters the image', async () => {
    const r = await ramify('autotrace', join(dir, 'fibre.tif'), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.neurons.length).toBe(1);
    const n = out.neurons[0];
    expect(n.fibre).toBe(true);
    expect(n.soma).toEqual({ x: 0.5, y: 60.5 });
    // The fibre on from its start and the branch: one branch point, two tips.
    expect([n.branch_points, n.tips]).toEqual([1, 2]);
    expect((await ramify('autotrace', join(dir, 'fibre.tif'))).out).toMatch(/^neuron 1 at \(0\.5, 60\.5\) \(fibre start\): 3 branches, 1 branch point, 2 tips/);
  });

  it('--out .swc: soma type 1 root, dendrites type 3, parents first, µm (0.5 µm/px)', async () => {
    const swc = join(dir, 'cell.swc');
    expect((await ramify('autotrace', cell, '--soma', '60.5,60.5', '--out', swc)).code).toBe(0);
    const rows = (await readFile(swc, 'utf8')).split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.trim().split(/\s+/).map(Number));
    // SWC counts from pixel centres: the soma at 60.5 px (pixel 60's centre) is 60 × 0.5 = 30 µm.
    expect(rows[0].slice(0, 4)).toEqual([1, 1, 30, 30]);
    expect(rows[0][6]).toBe(-1);
    const seen = new Set<number>();
    for (const row of rows.slice(1)) {
      expect(row[1]).toBe(3);
      expect(seen.has(row[6]) || row[6] === 1).toBe(true);
      seen.add(row[0]);
    }
    // The right dendrite ends inside its last pixel (column 109, centre 54.5 µm: 54.25–54.75 µm), on its centre row
    // (row 60 → 30 µm), although the geodesic path reached that column on the row above.
    const tip = rows.reduce((a, b) => (b[2] > a[2] ? b : a));
    expect(tip[2]).toBeGreaterThan(54.25);
    expect(tip[2]).toBeLessThanOrEqual(54.75);
    expect(tip[3]).toBeCloseTo(30, 2);
  });

  it('--out .ramify.json writes an annotation file that reads back with one neuron of three branches', async () => {
    const file = join(dir, 'cell.ramify.json');
    expect((await ramify('autotrace', cell, '--soma', '60,60', '--out', file)).code).toBe(0);
    const a = parseAnnotation(await readFile(file, 'utf8'));
    expect(a.document.neurons.length).toBe(1);
    expect(a.document.neurons[0].branches.length).toBe(3);
    expect(a.document.calibration?.pixelWidth).toBe(0.5);
    // Provenance: every branch came from the tracer, with its settings (5 µm = 10 px at 0.5 µm/px).
    expect(a.document.neurons[0].auto?.branches.length).toBe(3);
    expect(a.document.neurons[0].auto?.parameters.minBranchPx).toBe(10);
  });

  it('a z-stack is traced on its projection with each node at its depth in µm; --flat keeps it planar; --slice traces one slice', async () => {
    const stack = join(dir, 'stack.tif');
    await writeFile(stack, stackTiff());
    const swc = join(dir, 'stack.swc');
    const flat = await ramify('autotrace', stack, '--soma', '20.5,32.5', '--min-branch', '2', '--flat', '--out', swc, '--json');
    expect(JSON.parse(flat.out).parameters.plane).toBe('projection of 8 slices, planar');
    expect(new Set((await readFile(swc, 'utf8')).split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(' ')[4]))).toEqual(new Set(['0']));
    const r = await ramify('autotrace', stack, '--soma', '20.5,32.5', '--min-branch', '2', '--out', swc, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).parameters.plane).toBe('projection of 8 slices, nodes at their depth');
    const rows = (await readFile(swc, 'utf8')).split('\n').filter((l) => /^\d/.test(l)).map((l) => l.split(' ').map(Number));
    // Soma (pixel 20, 32) at slice index 2: (10, 16, 3) µm; nodes left of x = 45 px (22.25 µm from pixel 0's centre)
    // at 3 µm, right of 55 px (27.25 µm) at 7.5 µm.
    expect(rows[0].slice(1, 5)).toEqual([1, 10, 16, 3]);
    expect(Math.max(...rows.map((q) => q[2]))).toBeGreaterThan(39.25);
    for (const q of rows) {
      if (q[2] < 22.25) expect(q[4]).toBe(3);
      if (q[2] > 27.25) expect(q[4]).toBe(7.5);
    }
    const one = await ramify('autotrace', stack, '--soma', '20.5,32.5', '--slice', '3', '--json');
    expect(JSON.parse(one.out).parameters.plane).toBe('slice 3');
    // On slice 3 alone the dendrite ends where it leaves that slice (x = 50 px, 25 µm): ~ 25 − 3 px of it past the soma.
    expect(JSON.parse(one.out).neurons[0].length_px).toBeLessThan(JSON.parse(r.out).neurons[0].length_px - 25);
    const outOfRange = await ramify('autotrace', stack, '--slice', '9');
    expect(outOfRange.code).toBe(1);
    expect(outOfRange.err).toBe(`ramify autotrace: --slice 9 is out of range: ${stack} has 8 slices.\n`);
    const both = await ramify('autotrace', stack, '--slice', '2', '--flat');
    expect(both.code).toBe(1);
    expect(both.err).toMatch(/^ramify autotrace: --slice traces one slice; --flat keeps a projection's trace planar: give one of them\.\nUsage/);
  });

  it("gives each neuron's length in µm too, as `ramify measure` reads the SWC it writes (with the nodes' depths on a z-stack)", async () => {
    const measured = async (swc: string) => JSON.parse((await ramify('measure', swc, '--json')).out)[0].total_length_um as number;
    const swc = join(dir, 'length.swc');
    const r = await ramify('autotrace', cell, '--soma', '60.5,60.5', '--out', swc, '--json');
    const n = JSON.parse(r.out).neurons[0];
    expect(n.length_um).toBeCloseTo(await measured(swc), 2);
    expect(n.length_um).toBeCloseTo(n.length_px * 0.5, 2);
    const text = (await ramify('autotrace', cell, '--soma', '60.5,60.5')).out.split('\n')[0];
    expect(text).toBe(`neuron 1 at (60.5, 60.5): 3 branches, 0 branch points, 3 tips, ${n.length_px} px (${n.length_um} µm)`);
    // The dendrite steps from slice 3 to slice 6 (4.5 µm deeper) at x = 50 px.
    const stack = join(dir, 'length-stack.tif');
    await writeFile(stack, stackTiff());
    const deep = JSON.parse((await ramify('autotrace', stack, '--soma', '20.5,32.5', '--min-branch', '2', '--out', swc, '--json')).out).neurons[0];
    expect(deep.length_um).toBeCloseTo(await measured(swc), 2);
    expect(deep.length_um).toBeGreaterThan(deep.length_px * 0.5 + 2);
    // Without a pixel size: px only.
    const bare = join(dir, 'bare.tif');
    await writeFile(bare, encodeTiff({ width: 120, height: 120, planes: [decodeImage(cellTiff()).planes[0]], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none' }));
    const none = await ramify('autotrace', bare, '--soma', '60.5,60.5', '--json');
    expect(JSON.parse(none.out).neurons[0].length_um).toBeNull();
    expect((await ramify('autotrace', bare, '--soma', '60.5,60.5')).out.split('\n')[0]).toMatch(/ tips, [\d.]+ px$/);
  });

  it('exit 1 with the image size for a seed outside; exit 2 for an unreadable image; exit 1 on bad arguments', async () => {
    const outside = await ramify('autotrace', cell, '--soma', '130,5');
    expect(outside.code).toBe(1);
    expect(outside.err).toBe('ramify autotrace: --soma 130,5 is outside the image, which is 120×120 px (x 0–120, y 0–120).\n');
    const bad = join(dir, 'bad.tif');
    await writeFile(bad, 'not an image');
    const unreadable = await ramify('autotrace', bad);
    expect(unreadable.code).toBe(2);
    expect(unreadable.err.trim().split('\n').length).toBe(1);
    // A folder where the image goes: a project's is traced with --all; another is made a project first.
    const folder = await mkdtemp(join(tmpdir(), 'ramify-autotrace-folder-'));
    const plain = await ramify('autotrace', folder);
    expect([plain.code, plain.out, plain.err]).toEqual([1, '', `ramify autotrace: ${folder} is a folder, not an image: to trace every image in it, make it a project first (ramify project init ${folder}), then ramify autotrace ${folder} --all.\n`]);
    await writeFile(join(folder, 'ramify-project.json'), '{}');
    const project = await ramify('autotrace', folder, '--soma', '5,5');
    expect([project.code, project.out, project.err]).toEqual([1, '', `ramify autotrace: ${folder} is a Ramify project: add --all to trace every image in it (ramify autotrace ${folder} --all).\n`]);
    await rm(folder, { recursive: true, force: true });
    for (const args of [[], [cell, '--soma', '1'], [cell, '--soma'], [cell, '--channel', '0'], [cell, '--out', 'x.txt'], [cell, '--bogus']]) {
      const r = await ramify('autotrace', ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(/Usage: ramify autotrace/);
    }
  });
});

describe('ramify autotrace on a TIFF whose pixel size is only a print resolution (72 dpi, as image editors save)', () => {
  it('reads lengths at 0.5 µm per px and says why; --pixel-size gives the right one, for the trace and the SWC', async () => {
    const exported = join(dir, 'exported.tif');
    const plane = decodeImage(cellTiff()).planes[0] as Uint8Array;
    await writeFile(exported, encodeTiff({ width: 120, height: 120, planes: [plane], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', resolution: { x: 72, y: 72, unit: 'inch' } }));
    expect(decodeImage(new Uint8Array(await readFile(exported))).info.calibration).toMatchObject({ pixelWidth: 25400 / 72, source: 'resolution' });
    const note = "The image's pixel size, 352.8 µm, comes from its resolution tags (72 dpi): a print resolution, not a microscope's. Automatic tracing reads lengths at an assumed 0.5 µm per px; give its pixel size with --pixel-size UM to trace in µm.";
    const r = await ramify('autotrace', exported, '--soma', '60.5,60.5', '--json');
    expect([r.code, r.err]).toEqual([0, '']);
    const out = JSON.parse(r.out);
    // The same three dendrites as at 0.5 µm/px: at 352.8 µm per px the shortest branch would be 0.014 px.
    expect(out.neurons.map((n: { branches: number; branch_points: number; tips: number }) => [n.branches, n.branch_points, n.tips])).toEqual([[3, 0, 3]]);
    expect(out.parameters).toMatchObject({ pixel_size_um: null, min_branch_px: 10 });
    expect(out.note).toBe(note);
    expect((await ramify('autotrace', exported, '--soma', '60.5,60.5')).out.split('\n')).toContain(note);
    // Nor does the SWC take µm from it: px, counted from pixel centres (the soma at 60.5 px is 60).
    const inPx = join(dir, 'exported-px.swc');
    const px = await ramify('autotrace', exported, '--soma', '60.5,60.5', '--out', inPx);
    expect(px.out.split('\n')).toContain(note.replace('; give its', '; exported-px.swc is in px; give its'));
    expect((await readFile(inPx, 'utf8')).split('\n').find((l) => /^1 /.test(l))?.split(' ').slice(1, 4).map(Number)).toEqual([1, 60, 60]);
    // At 0.6 µm per px the soma (8 px) is 4.8 µm, the shortest branch 5 / 0.6 px; the SWC counts from pixel centres.
    const swc = join(dir, 'exported.swc');
    const given = await ramify('autotrace', exported, '--soma', '60.5,60.5', '--pixel-size', '0.6', '--out', swc, '--json');
    expect([given.code, given.err]).toEqual([0, '']);
    const g = JSON.parse(given.out);
    expect(g.note).toBeUndefined();
    expect(g.parameters).toMatchObject({ pixel_size_um: 0.6, min_branch_px: 8.333 });
    expect(g.neurons[0].fibre).toBe(false);
    const root = (await readFile(swc, 'utf8')).split('\n').find((l) => /^1 /.test(l))?.split(' ').map(Number);
    expect(root?.slice(1, 4)).toEqual([1, 36, 36]);
    for (const [args, message] of [
      [[exported, '--pixel-size', '0'], "--pixel-size must be a positive number of µm (got '0')."],
      [[exported, '--pixel-size', 'x'], "--pixel-size must be a positive number of µm (got 'x')."],
      [[dir, '--all', '--pixel-size', '0.5'], "--pixel-size sets one image's pixel size; --all traces each image of a project at its own."],
    ] as const) {
      const bad = await ramify('autotrace', ...args);
      expect(bad.code).toBe(1);
      expect(bad.err.split('\n')[0]).toBe(`ramify autotrace: ${message}`);
    }
  });
});

describe('ramify autotrace on a channel without the cell', () => {
  it('says which channel it traced and which one has clearly more signal; that channel finds the cell', async () => {
    const rgb = join(dir, 'channels.tif');
    await writeFile(rgb, cellInChannel2Tiff());
    const text = await ramify('autotrace', rgb);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/^no neuron found in channel 1 of 3; channel 2 has clearly more signal: --channel 2 traces it\n\d+ ms\n$/);
    const json = JSON.parse((await ramify('autotrace', rgb, '--json')).out);
    expect(json.neurons).toEqual([]);
    expect(json.more_signal_in_channel).toBe(2);
    const traced = JSON.parse((await ramify('autotrace', rgb, '--channel', '2', '--json')).out);
    expect(traced.neurons.map((n: { soma: unknown; branches: number }) => [n.soma, n.branches])).toEqual([[{ x: 60.5, y: 60.5 }, 3]]);
    expect(traced.more_signal_in_channel).toBeUndefined();
    // Channel 3 (flat) finds nothing either, and names channel 2 too.
    expect((await ramify('autotrace', rgb, '--channel', '3')).out).toMatch(/^no neuron found in channel 3 of 3; channel 2 has clearly more signal/);
  });

  it('a colour image compares its channels on their shared scale: the faint ghost of green neurites in the red channel does not hide the green one', async () => {
    // Green: the cell (or fibre) of cell.tif (fibre.tif) at 150-200 on 10; red: the same at 13 on 0 (what a JPEG's
    // chroma leaves of it). Each channel stands as far above its own noise (a contrast of 1000, at the floor of σ):
    // compared so, neither is named. In the same grey levels the green stands 140 up or more, the red 13.
    for (const [name, tiff] of [['cell', cellTiff()], ['fibre', fibreTiff()]] as const) {
      const plane = decodeImage(tiff).planes[0] as Uint8Array;
      const rgb = new Uint8Array(3 * plane.length);
      for (let i = 0; i < plane.length; i++) [rgb[3 * i], rgb[3 * i + 1]] = [plane[i] > 10 ? 13 : 0, plane[i]];
      const colour = join(dir, `${name}-colour.png`);
      await writeFile(colour, encodePng({ width: 120, height: 120, data: rgb, channels: 3, depth: 8 }));
      const text = await ramify('autotrace', colour);
      expect(text.code).toBe(0);
      // Whatever the red channel gave (the cell's ghost is a cell, the fibre's a fibre), the green is named.
      expect(text.out).toMatch(/\ntraced channel 1 of 3; channel 2 has clearly more signal: --channel 2 traces it\n\d+ ms\n$/);
      expect(JSON.parse((await ramify('autotrace', colour, '--json')).out).more_signal_in_channel).toBe(2);
      const green = JSON.parse((await ramify('autotrace', colour, '--channel', '2', '--json')).out);
      expect(green.neurons.map((n: { fibre: boolean }) => n.fibre)).toEqual([name === 'fibre']);
      expect(green.more_signal_in_channel).toBeUndefined();
    }
    // --all on a project of such an image: the cell's ghost is traced, and the summary names the green channel.
    const root = join(dir, 'colour-project');
    await mkdir(join(root, 'vehicle'), { recursive: true });
    await writeFile(join(root, 'vehicle', 'cell.png'), await readFile(join(dir, 'cell-colour.png')));
    expect((await ramify('project', 'init', root, '--conditions', 'subfolder')).code).toBe(0);
    const all = await ramify('autotrace', root, '--all');
    expect(all.code, all.err).toBe(0);
    expect(all.out).toMatch(/^\[1\/1\] vehicle\/cell\.png: 1 neuron, \d+ ms\nTraced 1 image automatically; it awaits review\. On it channel 2 has clearly more signal than the channel traced\. Run again with --channel 2: the images no one has checked are traced again\.\n$/);
  });

  it('--all names the channel too; run again on it (through the installed bin), the file where nothing was found is traced again, and only then', async () => {
    const root = join(dir, 'wrong-channel');
    await mkdir(join(root, 'vehicle'), { recursive: true });
    await writeFile(join(root, 'vehicle', 'veh_01.tif'), cellInChannel2Tiff());
    expect((await ramify('project', 'init', root, '--conditions', 'subfolder')).code).toBe(0);
    const first = await npx('autotrace', root, '--all');
    expect(first.code, first.err).toBe(0);
    expect(first.out).toMatch(/^\[1\/1\] vehicle\/veh_01\.tif: 0 neurons, \d+ ms\nTraced 1 image automatically; it awaits review\. No cell body was found on it; channel 2 has clearly more signal than the channel traced\. Run again with --channel 2: the images no one has checked are traced again\.\n$/);
    expect((await npx('autotrace', root, '--all')).out).toBe('Nothing to trace: 1 image traced automatically and not checked yet.\n');
    expect((await loadProject(root)).images.map((i) => i.toCheck)).toEqual([true]);
    const again = await npx('autotrace', root, '--all', '--channel', '2');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/\nTraced 1 image automatically again with the settings chosen since \(nobody had checked its earlier trace\); it awaits review\.\n$/);
    const project = await loadProject(root);
    const file = (await readImageAnnotation(root, project, project.images[0].id))!;
    expect(file.document.neurons.map((n) => n.branches.length)).toEqual([3]);
    expect(file.review.comments.map((c) => c.text)).toEqual(['Traced automatically on channel 2, shortest branch 5 µm: 1 neuron; awaiting review.']);
  }, 60_000);
});

const REPO = resolve(__dirname, '../../../..');

/** `npx ramify …` run from the clone: the installed bin, as a user runs it. */
async function npx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await promisify(execFile)('npx', ['ramify', ...argv], { cwd: REPO, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}

describe('ramify autotrace on an image larger than one trace reads (--max-mp), through the installed bin', () => {
  it('traces the 80 × 80 px window around the soma (0.0064 MP), says the cell may go on past it; Detect is refused', async () => {
    const r = await npx('autotrace', cell, '--soma', '60,60', '--max-mp', '0.0064', '--json');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    // Centred on the click: (60 − 40, 60 − 40). The three dendrites run on past it (to x 109, x 10 and y 10).
    expect(out.parameters.window).toEqual({ x: 20, y: 20, width: 80, height: 80, cut: true });
    expect(out.neurons).toHaveLength(1);
    expect(out.neurons[0].soma).toEqual({ x: 60.5, y: 60.5 });
    expect(out.neurons[0].branches).toBe(3);
    expect(out.neurons[0].branch_points).toBe(0);
    // Each dendrite traced from the soma towards the window's edge, in image px, and not past the window.
    const saved = join(dir, 'window.ramify.json');
    expect((await npx('autotrace', cell, '--soma', '60,60', '--max-mp', '0.0064', '--out', saved)).code).toBe(0);
    const nodes = parseAnnotation(await readFile(saved, 'utf8')).document.neurons[0].branches.flatMap((b) => b.nodes);
    expect(Math.min(...nodes.map((n) => Math.min(n.x, n.y)))).toBeGreaterThanOrEqual(20);
    expect(Math.max(...nodes.map((n) => Math.max(n.x, n.y)))).toBeLessThanOrEqual(100);
    expect(Math.max(...nodes.map((n) => n.x))).toBeGreaterThan(75);
    expect(Math.min(...nodes.map((n) => n.x))).toBeLessThan(45);
    expect(Math.min(...nodes.map((n) => n.y))).toBeLessThan(45);

    const text = await npx('autotrace', cell, '--soma', '60,60', '--max-mp', '0.0064');
    expect(text.out).toContain('traced the 80 × 80 px from (20, 20) around the soma, the most one trace reads: the cell may go on past it (read from the file window by window)\n');
    // The window was read from the file by its strips, not decoded whole.
    expect(out.parameters.read).toBe('windows');
    // Within the default budget the image is decoded and traced whole.
    const within = JSON.parse((await npx('autotrace', cell, '--soma', '60,60', '--json')).out).parameters;
    expect(within.window).toBeNull();
    expect(within.read).toBe('whole file');

    const detect = await npx('autotrace', cell, '--max-mp', '0.0064');
    expect(detect.code).toBe(1);
    expect(detect.err).toBe(`ramify autotrace: ${cell}: 120 × 120 px is more than one automatic trace reads (0.0 MP): give --soma X,Y for each cell to trace (each is traced in a window around it), or a larger --max-mp.\n`);
    const apart = await ramify('autotrace', cell, '--soma', '15,60', '--soma', '105,60', '--max-mp', '0.0064');
    expect(apart.code).toBe(1);
    expect(apart.err).toBe('ramify autotrace: These cell bodies lie 90 × 0 px apart; one automatic trace of this 120 × 120 image (0.0 MP) reads a 80 × 80 px window: trace them separately.\n');
    const zero = await npx('autotrace', cell, '--soma', '60,60', '--max-mp', '0');
    expect(zero.code).toBe(1);
    expect(zero.err).toMatch(/^ramify autotrace: --max-mp must be a number of megapixels above 0 \(got '0'\)\.\nUsage/);
  });
});

describe('ramify autotrace --nucleus-channel on cell bodies whose nuclei are as dark as the background, through the installed bin', () => {
  // The bundled sample (channel 2 stains the nuclei) with the middle of each cell body in channel 1 (0.6 of its radius)
  // at the background: a MAP2 stain leaves the nucleus dark, and the body reads as a ring.
  const truth = JSON.parse(readFileSync(join(REPO, 'build/sample/sample-neurons.truth.json'), 'utf8')) as { document: { neurons: Array<{ soma: { x: number; y: number; r: number } }> } };
  function darkNucleiTiff(): Uint8Array {
    const sample = syntheticNeurons({ seed: SAMPLE_SEED });
    const [plane] = sample.channels;
    const background = Uint16Array.from(plane).sort()[plane.length >> 1];
    for (const { soma } of truth.document.neurons) {
      for (let i = 0; i < plane.length; i++) if (Math.hypot((i % sample.width) + 0.5 - soma.x, Math.floor(i / sample.width) + 0.5 - soma.y) <= 0.6 * soma.r) plane[i] = background;
    }
    return sampleTiff(sample);
  }
  const atBodies = (neurons: Array<{ soma: { x: number; y: number }; fibre: boolean }>) =>
    truth.document.neurons.filter((c) => neurons.some((n) => !n.fibre && Math.hypot(n.soma.x - c.soma.x, n.soma.y - c.soma.y) < 5)).length;

  /** The image, written once for the tests below. */
  let written: Promise<string> | null = null;
  const darkNucleiImage = () =>
    (written ??= (async () => {
      const image = join(dir, 'dark-nuclei.tif');
      await writeFile(image, darkNucleiTiff());
      return image;
    })());

  it('without the nuclear stain finds no cell body, and names channel 2 as one (--nucleus-channel none: the same)', async () => {
    const image = await darkNucleiImage();
    const without = JSON.parse((await npx('autotrace', image, '--json')).out);
    expect(atBodies(without.neurons)).toBe(0);
    expect(without.parameters.nucleus_channel).toBeNull();
    // Channel 2 holds the sample's ten nuclei (its four cells' and six glia's): it is named.
    expect(without.nuclear_stain_in_channel).toBe(2);
    expect((await npx('autotrace', image)).out).toContain('\nno cell body found; channel 2 looks like a nuclear stain: --nucleus-channel 2 finds cell bodies on its nuclei, also those the dendrite stain leaves dark\n');
    const none = JSON.parse((await npx('autotrace', image, '--nucleus-channel', 'none', '--json')).out);
    expect(atBodies(none.neurons)).toBe(0);
    expect(none.parameters.nucleus_channel).toBeNull();
  });

  it('finds the four cells on the nuclei of channel 2; a nuclear channel the image lacks is refused', async () => {
    const image = await darkNucleiImage();
    const r = await npx('autotrace', image, '--nucleus-channel', '2', '--json');
    expect(r.code, r.err).toBe(0);
    const traced = JSON.parse(r.out);
    expect(traced.neurons).toHaveLength(4);
    expect(atBodies(traced.neurons)).toBe(4);
    expect(traced.parameters.nucleus_channel).toBe(2);
    expect(traced).not.toHaveProperty('nuclear_stain_in_channel');
    const zero = await npx('autotrace', image, '--nucleus-channel', '0');
    expect(zero.code).toBe(1);
    expect(zero.err).toMatch(/^ramify autotrace: --nucleus-channel must be a whole number from 1, or none \(got '0'\)\./);
    const third = await npx('autotrace', image, '--nucleus-channel', '3');
    expect(third.code).toBe(1);
    expect(third.err).toBe("ramify autotrace: Nuclear channel 3 is out of range: the image has 2 channels.\n");
  });

  /** A project of one copy of the dark-nuclei image, made by `project init` (in process: its bin is tested elsewhere). */
  async function darkNucleiProject(name: string): Promise<string> {
    const root = join(dir, name);
    await mkdir(join(root, 'vehicle'), { recursive: true });
    await writeFile(join(root, 'vehicle', 'veh_01.tif'), darkNucleiTiff());
    expect((await ramify('project', 'init', root, '--conditions', 'subfolder')).code).toBe(0);
    return root;
  }

  it('--all without the nuclear stain says no cell body was found and names channel 2; run again with it, the unchecked trace is made again', async () => {
    const unnamed = await darkNucleiProject('nuclei-unnamed');
    const blind = await npx('autotrace', unnamed, '--all');
    expect(blind.code, blind.err).toBe(0);
    expect(blind.out).toMatch(/\nTraced 1 image automatically; it awaits review\. No cell body was found on it; channel 2 looks like a nuclear stain, on which cell bodies whose nucleus is dark are found\. Run again with --nucleus-channel 2: the images no one has checked are traced again\.\n$/);
    // Nobody has checked that trace: run again with the nuclear stain, it is traced again.
    const again = await npx('autotrace', unnamed, '--all', '--nucleus-channel', '2');
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/\nTraced 1 image automatically again with the settings chosen since \(nobody had checked its earlier trace\); it awaits review\.\n$/);
    const unnamedProject = await loadProject(unnamed);
    const redone = (await readImageAnnotation(unnamed, unnamedProject, unnamedProject.images[0].id))!.document;
    expect(atBodies(redone.neurons.map((n) => ({ soma: n.soma as { x: number; y: number }, fibre: !n.soma })))).toBe(4);
  });

  it("--all traces the project's channels and detail (chosen in the app) and records them in each file", async () => {
    const root = await darkNucleiProject('nuclei-project');
    await saveProject(root, setTracing(await loadProject(root), { channel: 0, nucleusChannel: 1, minBranchUm: 6 }, new Date().toISOString()));
    const all = await npx('autotrace', root, '--all');
    expect(all.code, all.err).toBe(0);
    expect(all.out).toMatch(/^As the project traces its images: channel 1, cell bodies on the nuclei of channel 2, shortest branch 6 µm\.\n\[1\/1\] vehicle\/veh_01\.tif: 4 neurons, \d+ ms\nTraced 1 image automatically; it awaits review\.\n$/);
    const project = await loadProject(root);
    const doc = (await readImageAnnotation(root, project, project.images[0].id))!.document;
    expect(doc.neurons.filter((n) => n.soma)).toHaveLength(4);
    expect(doc.neurons.map((n) => n.auto?.parameters.nucleusChannel)).toEqual(doc.neurons.map(() => 1));
    // 6 µm at 0.325 µm per px, to 3 decimals.
    expect(doc.neurons.map((n) => n.auto?.parameters.minBranchPx)).toEqual(doc.neurons.map(() => 18.462));
  });
});

describe("ramify autotrace on an image whose channels are named (a plate's merged wavelengths), through the installed bin", () => {
  // The dark-nuclei sample written as Merge wavelengths writes a site: an OME-TIFF whose channels carry their names,
  // in the order given (the nuclei first, as a plate imaged in DAPI first has them).
  const truth = JSON.parse(readFileSync(join(REPO, 'build/sample/sample-neurons.truth.json'), 'utf8')) as { document: { neurons: Array<{ soma: { x: number; y: number; r: number } }> } };
  const atBodies = (neurons: Array<{ soma: { x: number; y: number }; fibre: boolean }>) =>
    truth.document.neurons.filter((c) => neurons.some((n) => !n.fibre && Math.hypot(n.soma.x - c.soma.x, n.soma.y - c.soma.y) < 5)).length;
  async function namedImage(file: string, order: 'dendrites first' | 'nuclei first', names: [string, string]): Promise<string> {
    const sample = syntheticNeurons({ seed: SAMPLE_SEED });
    const [dendrites, nuclei] = sample.channels;
    const background = Uint16Array.from(dendrites).sort()[dendrites.length >> 1];
    for (const { soma } of truth.document.neurons) {
      for (let i = 0; i < dendrites.length; i++) if (Math.hypot((i % sample.width) + 0.5 - soma.x, Math.floor(i / sample.width) + 0.5 - soma.y) <= 0.6 * soma.r) dendrites[i] = background;
    }
    const whole = decodeImage(sampleTiff(sample));
    const planes = order === 'dendrites first' ? [dendrites, nuclei] : [nuclei, dendrites];
    const sources = planes.map((plane, c) => ({ image: { ...whole, info: { ...whole.info, channels: 1, channelNames: [names[c]] }, planes: [plane] }, file: `w${c + 1}.tif`, fallbackName: `w${c + 1}` }));
    const path = join(dir, file);
    await writeFile(path, mergeChannels(sources, file).bytes);
    return path;
  }

  it('traces the neurite stain and finds the cell bodies on the nuclei the names say, in either order; a channel given is kept', async () => {
    const first = await namedImage('named-a.ome.tif', 'dendrites first', ['MAP2', 'Hoechst 33342']);
    const r = JSON.parse((await npx('autotrace', first, '--json')).out);
    expect(atBodies(r.neurons)).toBe(4);
    expect(r.parameters).toMatchObject({ channel: 1, nucleus_channel: 2, channels_by_name: true });
    const text = await npx('autotrace', first);
    expect(text.out).toContain('\nchannels chosen by their names: traced channel 1 (MAP2), cell bodies on the nuclei of channel 2 (Hoechst 33342); --channel and --nucleus-channel choose others\n');

    const second = await namedImage('named-b.ome.tif', 'nuclei first', ['DAPI', 'FITC 488']);
    const swapped = JSON.parse((await npx('autotrace', second, '--json')).out);
    expect(atBodies(swapped.neurons)).toBe(4);
    expect(swapped.parameters).toMatchObject({ channel: 2, nucleus_channel: 1, channels_by_name: true });

    // --nucleus-channel none: the dark nuclei leave no cell body to find, as on the unnamed image.
    const none = JSON.parse((await npx('autotrace', second, '--nucleus-channel', 'none', '--json')).out);
    expect(atBodies(none.neurons)).toBe(0);
    expect(none.parameters).toMatchObject({ channel: 2, nucleus_channel: null, channels_by_name: true });
    const given = JSON.parse((await npx('autotrace', second, '--channel', '2', '--nucleus-channel', '1', '--json')).out);
    expect(given.parameters).toMatchObject({ channel: 2, nucleus_channel: 1, channels_by_name: false });
    expect(given.neurons).toEqual(swapped.neurons);
    // The nuclei traced as asked: said, as the app says it.
    const nuclei = await ramify('autotrace', second, '--channel', '1', '--min-branch', '50');
    expect(nuclei.code, nuclei.err).toBe(0);
    expect(nuclei.out).toContain('\nchannel 1 is named DAPI, a nuclear stain: --channel chooses the one to trace\n');
    expect(nuclei.out).not.toContain('channels chosen by their names');
    // A plate's DAPI wavelength saved as a file of its own (MetaXpress's fixture plate): there is nothing else to trace.
    const alone = await ramify('autotrace', join(REPO, 'tests/fixtures/tiff/metaseries/plate/TimePoint_1/Plate1_A01_s1_w2A0B1C2D3-E4F5-4A6B-8C7D-9E0F1A2B3C4D.tif'));
    expect(alone.code, alone.err).toBe(0);
    expect(alone.out).toContain("\nthe image holds only a nuclear stain (DAPI & Hoechst): its neurites are in another file; ramify merge-wavelengths makes one image of a plate's files per site\n");
  });

  it('--all on a project that never chose traces as its first image\'s names say', async () => {
    const root = join(dir, 'named-project');
    await mkdir(join(root, 'vehicle'), { recursive: true });
    const image = await namedImage('named-c.ome.tif', 'nuclei first', ['DAPI', 'FITC 488']);
    await writeFile(join(root, 'vehicle', 'veh_01.ome.tif'), await readFile(image));
    expect((await ramify('project', 'init', root, '--conditions', 'subfolder')).code).toBe(0);
    const all = await npx('autotrace', root, '--all');
    expect(all.code, all.err).toBe(0);
    expect(all.out).toMatch(/^Channels chosen by the names in vehicle\/veh_01\.ome\.tif: channel 2 \(FITC 488\), cell bodies on the nuclei of channel 1 \(DAPI\); --channel and --nucleus-channel choose others\.\n\[1\/1\] vehicle\/veh_01\.ome\.tif: 4 neurons, \d+ ms\n/);
    const project = await loadProject(root);
    const doc = (await readImageAnnotation(root, project, project.images[0].id))!.document;
    expect(doc.neurons.map((n) => [n.auto?.parameters.channel, n.auto?.parameters.nucleusChannel])).toEqual(doc.neurons.map(() => [1, 0]));
  });

  it('--all names the images whose channel traced is named a nuclear stain (a site imaged in another order)', async () => {
    const root = join(dir, 'mixed-project');
    await mkdir(join(root, 'vehicle'), { recursive: true });
    await writeFile(join(root, 'vehicle', 'veh_01.ome.tif'), await readFile(await namedImage('named-d.ome.tif', 'nuclei first', ['DAPI', 'FITC 488'])));
    await writeFile(join(root, 'vehicle', 'veh_02.ome.tif'), await readFile(await namedImage('named-e.ome.tif', 'dendrites first', ['FITC 488', 'DAPI'])));
    expect((await ramify('project', 'init', root, '--conditions', 'subfolder')).code).toBe(0);
    const mixed = await ramify('autotrace', root, '--all');
    expect(mixed.code, mixed.err).toBe(0);
    expect(mixed.out).toMatch(/\nTraced 2 images automatically; they await review\. On 1 image the channel traced is named a nuclear stain \(vehicle\/veh_02\.ome\.tif\): its trace is of nuclei \(a site imaged in another order\)\.\n$/);
  });
});

describe("ramify autotrace --all on a plate whose wavelengths were not merged", () => {
  it('leaves the files holding only a nuclear stain alone and says so; the others are traced', async () => {
    const root = join(dir, 'raw-plate');
    await cp(join(REPO, 'tests/fixtures/tiff/metaseries/plate'), root, { recursive: true });
    expect((await ramify('project', 'init', root)).code).toBe(0);
    // Which files are a nuclear stain, as tifffile reads their MetaXpress illumination (make-plate.py, plate-reference.json).
    const reference = JSON.parse(readFileSync(join(REPO, 'tests/fixtures/tiff/metaseries/plate-reference.json'), 'utf8')) as { sources: Record<string, { illumination: string }> };
    const dapi = Object.values(reference.sources).filter((s) => s.illumination === 'DAPI & Hoechst').length;
    const others = Object.keys(reference.sources).length - dapi;
    const r = await ramify('autotrace', root, '--all');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(new RegExp(`\\nTraced ${others} images automatically; they await review\\. .*Left alone: ${dapi} images holding only a nuclear stain \\(a plate's wavelengths not merged\\)\\.\\n$`));
    expect(r.out.split('\n').filter((l) => l.endsWith(': left alone: it holds only a nuclear stain'))).toHaveLength(dapi);
    const project = await loadProject(root);
    expect(project.images.filter((i) => i.annotation).map((i) => i.path).sort()).toEqual(Object.keys(reference.sources).filter((k) => reference.sources[k].illumination !== 'DAPI & Hoechst').sort());
  });
});

describe('ramify autotrace PROJECT --all', () => {
  it('traces the images without annotations, leaves manual work byte-for-byte alone and marks traced files for review', async () => {
    const root = join(dir, 'project');
    await mkdir(join(root, 'A'), { recursive: true });
    await writeFile(join(root, 'A', 'one.tif'), cellTiff());
    await writeFile(join(root, 'A', 'two.tif'), cellTiff());
    expect((await ramify('project', 'init', root, '--conditions', 'subfolder')).code).toBe(0);
    const swc = join(dir, 'manual.swc');
    await writeFile(swc, '1 1 30 30 0 4 -1\n2 3 30 20 0 1 1\n');
    expect((await ramify('import', root, 'A/one.tif', swc)).code).toBe(0);
    let project = await loadProject(root);
    const one = project.images.find((i) => i.path === 'A/one.tif')!;
    const manualBefore = await readFile(join(root, ...one.annotation!.split('/')), 'utf8');

    // An image larger than one trace reads is reported, not traced (Detect would need the whole image).
    const large = await ramify('autotrace', root, '--all', '--max-mp', '0.0064');
    expect(large.code).toBe(2);
    expect(large.out).toBe('No image was traced. Left alone: 1 image with annotations. Could not trace 1 image: A/two.tif.\n');
    expect(large.err).toBe('[1/1] A/two.tif: 120 × 120 px is more than one automatic trace reads (0.0 MP): trace it by its cell bodies (ramify autotrace IMAGE --soma X,Y).\n');
    expect((await loadProject(root)).images.find((i) => i.path === 'A/two.tif')!.annotation).toBeFalsy();

    const r = await ramify('autotrace', root, '--all');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^\[1\/1\] A\/two\.tif: 1 neuron, \d+ ms\nTraced 1 image automatically; it awaits review\. Left alone: 1 image with annotations\.\n$/);
    project = await loadProject(root);
    expect(await readFile(join(root, ...one.annotation!.split('/')), 'utf8')).toBe(manualBefore);
    const two = project.images.find((i) => i.path === 'A/two.tif')!;
    expect(two.neuronCount).toBe(1);
    const file = await readImageAnnotation(root, project, two.id);
    expect(file?.review.status).toBe('ready-for-review');
    expect(file?.document.neurons[0].branches.length).toBe(3);
    expect(file?.image?.width).toBe(120);
  });
});
