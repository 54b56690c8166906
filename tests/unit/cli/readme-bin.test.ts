import { readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeAnnotation } from '../../../shared/formats/annotation-file';
import { SNAP_RADIUS } from '../../../shared/tracing/trace-clicks';
import { annotationFor, CAL_HALF, tinyTiff, yAndLineDocument } from '../../fixtures/project/make-project';
import { decodeImage } from '../../../shared/image/decode';
import { RAMIFY, shell, shellInTurn } from './shell';

/**
 * The `ramify` command as a user runs it: every example of README.md's "The `ramify` command" section, run as
 * printed through `npx ramify` (`npm ci` links the command into node_modules/.bin), in a scratch folder inside the
 * clone holding the files the examples name.
 */

const REPO = resolve(__dirname, '../../..');
const PLATE = join(REPO, 'tests/fixtures/tiff/metaseries/plate');
/** tifffile's reading of the plate's files and of the images merge-wavelengths made of them (make-plate.py). */
const PLATE_REFERENCE = JSON.parse(readFileSync(join(REPO, 'tests/fixtures/tiff/metaseries/plate-reference.json'), 'utf8')) as {
  sources: Record<string, { illumination: string; sum: number }>;
  merged: Record<string, { shape: number[]; channelNames: string[]; physicalSize: number[]; sums: number[] }>;
};
let work: string;

const sh = (line: string) => shell(line, work);

async function readmeExamples(): Promise<string[]> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The `ramify` command'));
  const block = section.slice(section.indexOf('```sh') + 5, section.indexOf('```', section.indexOf('```sh') + 5));
  return block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('npx ramify '));
}

beforeAll(async () => {
  // Inside the clone (git-ignored .tmp-*), because `npx ramify` finds node_modules/.bin through the enclosing package.json.
  work = await mkdtemp(join(REPO, '.tmp-readme-'));
  await copyFile(join(REPO, 'build/sample/sample-neurons.tif'), join(work, 'cells.tif'));
  await writeFile(join(work, 'cells.ramify.json'), serializeAnnotation(annotationFor(yAndLineDocument(CAL_HALF))));
  await writeFile(join(work, 'cell.swc'), '# soma and a 30 µm dendrite\n1 1 5 5 0 2 -1\n2 3 5 10 0 1 1\n3 3 5 40 0 1 2\n');
  await writeFile(join(work, 'veh_01.swc'), '1 1 10 10 0 2 -1\n2 3 10 20 0 1 1\n3 3 10 30 0 1 2\n');
  // veh_01 gets the SWC tracing; the other two are copies of the sample (four neurons each) for `autotrace --all`.
  for (const p of ['vehicle/veh_01.tif', 'vehicle/veh_02.tif', 'drug/drug_01.tif']) {
    await mkdir(join(work, 'experiment', p, '..'), { recursive: true });
    if (p === 'vehicle/veh_01.tif') await writeFile(join(work, 'experiment', p), tinyTiff(0.5, 64));
    else await copyFile(join(REPO, 'build/sample/sample-neurons.tif'), join(work, 'experiment', p));
  }
  // An ImageXpress plate's two sites of A01 (tests/fixtures/tiff/metaseries/make-plate.py), each wavelength a file.
  await mkdir(join(work, 'plate/TimePoint_1'), { recursive: true });
  for (const f of Object.keys(PLATE_REFERENCE.sources).filter((f) => f.includes('_A01_'))) await copyFile(join(PLATE, f), join(work, 'plate', f));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('README: every `npx ramify` example works as printed', { timeout: 600_000 }, () => {
  it('runs the examples in order, each doing what its comment says', async () => {
    const examples = await readmeExamples();
    expect(examples.map((l) => l.split(/\s+/)[2])).toEqual([
      'inspect', 'trace', 'autotrace', 'measure', 'convert', 'project', 'import', 'autotrace', 'project', 'export', 'stats', 'report',
      'autotrace', 'autotrace', 'compare', 'agreement', 'agreement', 'agreement', 'agreement', 'merge-wavelengths',
    ]);
    const results = [];
    for (const line of examples) {
      const r = await sh(line);
      // convert says on stderr which pixel size it used (cell.swc states none); nothing else may complain.
      const note = line.includes(' convert ') ? 'ramify convert: no --pixel-size given; using 1 µm/px (1 px per µm).\n' : '';
      expect({ line, code: r.code, err: r.err }).toEqual({ line, code: 0, err: note });
      results.push(r.out);
    }
    const [inspect, trace, auto, measure] = results.map((o, i) => (i < 4 ? JSON.parse(o) : o));
    expect(inspect).toMatchObject({ width: 1024, height: 1024, bitsPerSample: 16, channels: 2 });
    expect(trace.paths[0].from).toEqual([120, 88]);
    // The path ends on the ridge centre the click snapped to: within the snapping disc of the --to point.
    const [ex, ey] = trace.paths[0].points.at(-1);
    expect(Math.hypot(ex - 240, ey - 130)).toBeLessThanOrEqual(SNAP_RADIUS + 1);
    // One click on the first cell body of the sample (its truth file puts the soma at 307.0, 275.6): one tree, written as SWC.
    expect(auto.neurons).toHaveLength(1);
    expect(Math.hypot(auto.neurons[0].soma.x - 307, auto.neurons[0].soma.y - 275.6)).toBeLessThan(8);
    expect(auto.neurons[0].branch_points).toBeGreaterThan(0);
    const swcRows = (await readFile(join(work, 'traced.swc'), 'utf8')).split('\n').filter((l) => /^\d/.test(l));
    expect(swcRows[0]).toMatch(/^1 1 .* -1$/);
    expect(swcRows.length).toBe(auto.neurons[0].nodes + 1); // the soma row, then every node
    // yAndLineDocument at 0.5 µm/px: the Y is 2 + 20 + 2 × 25 µm of dendrite after its stem, the line 30 µm.
    expect(measure.map((n: { neuron: string; total_length_um: number }) => [n.neuron, n.total_length_um])).toEqual([['Y', 70], ['line', 30]]);
    const converted = JSON.parse(await readFile(join(work, 'cell.ramify.json'), 'utf8'));
    // SWC (5, 10) µm at 1 µm/px is pixel (5, 10)'s centre: (5.5, 10.5) in document px.
    expect(converted.document.neurons[0].branches[0].nodes.map((q: { x: number; y: number }) => [q.x, q.y])).toEqual([[5.5, 10.5], [5.5, 40.5]]);
    const project = JSON.parse(await readFile(join(work, 'experiment/ramify-project.json'), 'utf8'));
    expect(project.images.map((i: { path: string; metadata: { condition: string } }) => [i.path, i.metadata.condition])).toEqual([
      ['drug/drug_01.tif', 'drug'],
      ['vehicle/veh_01.tif', 'vehicle'],
      ['vehicle/veh_02.tif', 'vehicle'],
    ]);
    expect(results[6]).toMatch(/^Imported 1 neuron into vehicle\/veh_01\.tif \(img-\d{4}\); it now has 1\.\n/);
    // The two untraced images are traced automatically; the sample has four neurons, and each is found.
    expect(results[7]).toMatch(/Traced 2 images automatically; they await review\. Left alone: 1 image with annotations\.\n$/);
    // Both traces await a technician's check (not done until then); the image with the imported tracing is in progress.
    expect(results[8]).toMatch(/\n  total: 0\/3 images done, 0 approved, 1 in progress, 9 neurons\n2 images traced by Auto-trace all images await a check in the app\.\n$/);
    const neurons = (await readFile(join(work, 'results/neurons.csv'), 'utf8')).split('\r\n').filter(Boolean);
    expect(neurons).toHaveLength(1 + 1 + 4 + 4);
    expect(neurons.filter((l) => l.includes('vehicle/veh_01.tif'))).toHaveLength(1);
    expect(neurons.filter((l) => l.includes('vehicle/veh_02.tif'))).toHaveLength(4);
    expect(neurons.filter((l) => l.includes('drug/drug_01.tif'))).toHaveLength(4);
    // stats on that CSV: two groups, so Welch's t; the group means equal the CSV's own column, averaged here.
    const stats = JSON.parse(results[10]);
    const header = neurons[0].split(',');
    const [cond, nmax] = [header.indexOf('condition'), header.indexOf('sholl_nmax')];
    const values = (c: string) => neurons.slice(1).map((l) => l.split(',')).filter((r) => r[cond] === c).map((r) => Number(r[nmax]));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(stats.groups.map((g: { name: string; n: number }) => [g.name, g.n])).toEqual([['vehicle', 5], ['drug', 4]]);
    expect(stats.groups[0].mean).toBeCloseTo(mean(values('vehicle')), 12);
    expect(stats.groups[1].mean).toBeCloseTo(mean(values('drug')), 12);
    expect(stats.t_test.welch).toBe(true);
    const report = await readFile(join(work, 'report.html'), 'utf8');
    expect(report).toMatch(/<svg/);
    expect(results[11]).toMatch(/^Wrote report\.html: 9 neurons in 2 conditions/);
    // Two automatic tracings of the sample's four neurons; the harder-pruned one has fewer branch points and less
    // length, and the pairs (by soma) lie on each other except for the pruned twigs.
    const compare = JSON.parse(results[14]);
    expect(compare.unit).toBe('um');
    // The default 2 px, in the sample's 0.325 µm px that Ramify's SWC header states.
    expect(compare.threshold).toBeCloseTo(0.65, 12);
    expect(compare.neurons).toHaveLength(4);
    expect(compare.counts.diff.branch_points).toBeLessThan(0);
    expect(compare.counts.diff.total_length).toBeLessThan(0);
    expect(compare.sd).toBeLessThan(0.5);
    expect(compare.pct_ssd).toBeGreaterThan(0);
    expect(results[15]).toMatch(/^Assigned 1 of 3 images to Ana and Ben \(seed 1\):\n  vehicle\/veh_02\.tif\n$/);
    expect(results[16]).toMatch(/^Imported 4 neurons into Ana's agreement tracing of vehicle\/veh_02\.tif/);
    const agreement = JSON.parse(results[18]);
    expect(agreement.tracers).toEqual(['Ana', 'Ben']);
    expect(agreement.images).toEqual([{ image: 'vehicle/veh_02.tif', image_id: 'img-0003', traced_a: true, traced_b: true, pairs: 4 }]);
    // The project compares the same two files as `compare` did (in µm with the image's calibration): same count differences.
    expect(agreement.neurons.map((n: { counts: { diff: { branch_points: number } } }) => n.counts.diff.branch_points)).toEqual(
      compare.neurons.map((n: { counts: { diff: { branch_points: number } } }) => n.counts.diff.branch_points),
    );
    // …and the same share of far samples per neuron: the same 2 px threshold, from the image there, from the SWC here.
    const farShare = (ns: Array<{ pct_ssd: number }>) => ns.map((n) => n.pct_ssd.toFixed(6));
    expect(farShare(agreement.neurons)).toEqual(farShare(compare.neurons));
    expect(agreement.icc.total_length.n).toBe(4);
    expect(agreement.icc.total_length.icc).toBeGreaterThan(0.5);
    expect(agreement.icc.total_length.ci_low).toBeLessThan(agreement.icc.total_length.icc);
    // The image's own annotations (traced by `autotrace --all`) are untouched by the agreement tracings.
    expect(JSON.parse(await readFile(join(work, 'experiment/ramify-project.json'), 'utf8')).images[2].neuronCount).toBe(4);
    // Each site of the plate is one image: its wavelengths as channels in order, named and calibrated as tifffile
    // reads the image merged (their sums those of the wavelength files).
    expect(results[19]).toMatch(/^Merged 2 sites into merged:\n  1 image with channels 1 FITC 488, 2 DAPI & Hoechst\n  1 image with channels 1 FITC 488, 2 DAPI & Hoechst, 3 w3\n/);
    for (const [name, ref] of Object.entries(PLATE_REFERENCE.merged)) {
      const merged = decodeImage(new Uint8Array(await readFile(join(work, 'merged', name))));
      expect({ name, channels: merged.info.channels, names: merged.info.channelNames, um: [merged.info.calibration?.pixelWidth, merged.info.calibration?.pixelHeight], sums: merged.pageStats.map((p) => p.sum) }).toEqual({
        name,
        channels: ref.shape[0],
        names: ref.channelNames,
        um: ref.physicalSize,
        sums: ref.sums,
      });
    }
  });
});

const VERBS = ['inspect', 'trace', 'autotrace', 'measure', 'convert', 'project', 'import', 'export', 'stats', 'report', 'compare', 'agreement', 'merge-wavelengths'];

describe('`ramify` as installed: help and exit codes of every verb, npx passing them on', { timeout: 600_000 }, () => {
  it('runs the command of this checkout, which `npm ci` links into node_modules/.bin', async () => {
    expect(await realpath(join(REPO, 'node_modules/.bin/ramify'))).toBe(await realpath(join(REPO, 'electron/cli/bin.mjs')));
    // Were the command the root package's own `bin`, npx would install the root package into its cache on every call
    // (2.7 s a call instead of 0.9 s here, and calls waiting on the cache's lock).
    expect(JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')).bin).toBeUndefined();
  });

  it('--help of the command and of every verb prints usage and exits 0', async () => {
    const top = await sh('npx ramify --help');
    expect(top.code).toBe(0);
    for (const v of VERBS) expect(top.out).toContain(`  ${v} `);
    const helps = await shellInTurn(VERBS.map((v) => `${RAMIFY} ${v} --help`), work);
    helps.forEach((r, k) => {
      const v = VERBS[k];
      expect({ v, code: r.code, first: r.out.split('\n')[0].startsWith(`Usage: ramify ${v} `) }).toEqual({ v, code: 0, first: true });
    });
  });

  it('bad arguments exit 1 with usage on stderr', async () => {
    const lines = ['npx ramify', `${RAMIFY} frobnicate`, ...VERBS.map((v) => `${RAMIFY} ${v}`)];
    const results = await shellInTurn(lines, work);
    for (const [k, line] of lines.entries()) {
      const r = results[k];
      expect({ line, code: r.code, usage: /Usage: ramify/.test(r.err + r.out) }).toEqual({ line, code: 1, usage: true });
    }
  });

  it('an option given without its value says so and shows the verb’s usage (it was read as the value "true")', async () => {
    const cases = [
      { verb: 'autotrace', option: '--soma', args: 'cells.tif --soma 10,10 --soma' },
      { verb: 'measure', option: '--step', args: 'cell.swc --step --json' },
      { verb: 'stats', option: '--group', args: 'x.csv --value sholl_nmax --group' },
    ];
    const results = await shellInTurn(cases.map((c) => `${RAMIFY} ${c.verb} ${c.args}`), work);
    for (const [k, { verb, option }] of cases.entries()) {
      const r = results[k];
      expect({ code: r.code, first: r.err.split('\n')[0], second: r.err.split('\n')[1].startsWith(`Usage: ramify ${verb} `), out: r.out }).toEqual({
        code: 1,
        first: `ramify ${verb}: ${option} needs a value, or is not an option of this command.`,
        second: true,
        out: '',
      });
    }
  });

  it('unreadable input exits 2 with one line saying why', async () => {
    const cases: Array<[string, RegExp]> = [
      ['npx ramify inspect missing.tif', /^ramify inspect: cannot read missing\.tif: no such file\n$/],
      [`${RAMIFY} trace missing.tif --from 1,1 --to 2,2`, /^ramify trace: cannot read missing\.tif: no such file\n$/],
      [`${RAMIFY} autotrace missing.tif --json`, /^ramify autotrace: .*missing\.tif.*\n$/],
      [`${RAMIFY} measure missing.swc --json`, /^ramify measure: cannot read missing\.swc: no such file\n$/],
      // A folder where the tracing goes: said in words, not as the system's "EISDIR: illegal operation on a directory".
      [`${RAMIFY} measure . --json`, /^ramify measure: cannot read \.: it is a folder\n$/],
      [`${RAMIFY} convert missing.swc out.ramify.json`, /^ramify convert: cannot read missing\.swc: no such file\.\n$/],
      [`${RAMIFY} project status nowhere/`, /^ramify project status: No Ramify project in .*nowhere \(ramify-project\.json is missing/],
      [`${RAMIFY} import nowhere/ img-0001 cell.swc`, /^ramify import: No Ramify project in .*nowhere/],
      [`${RAMIFY} export nowhere/ --out results2/`, /^ramify export: No Ramify project in .*nowhere/],
      [`${RAMIFY} inspect cell.swc`, /^ramify inspect: cannot read cell\.swc: /],
      [`${RAMIFY} stats missing.csv --group condition --value sholl_nmax`, /^ramify stats: cannot read missing\.csv: no such file or folder\n$/],
      [`${RAMIFY} report nowhere/ --out r.html`, /^ramify report: cannot read nowhere\/: no such file or folder\n$/],
      [`${RAMIFY} compare missing.swc cell.swc`, /^ramify compare: Cannot read missing\.swc: no such file\.\n$/],
      [`${RAMIFY} agreement nowhere/`, /^ramify agreement: No Ramify project in .*nowhere/],
      [`${RAMIFY} merge-wavelengths nowhere/ --out merged2/`, /^ramify merge-wavelengths: cannot read nowhere\/: no such file or folder\.\n$/],
      // An image where the project folder goes: said in those words, not as the system's ENOTDIR on a path inside it.
      [`${RAMIFY} autotrace cells.tif --all`, /^ramify autotrace: \/.*\/cells\.tif is a file, not a project folder: give the folder that holds ramify-project\.json\.\n$/],
      [`${RAMIFY} export cell.swc --out results2/`, /^ramify export: \/.*\/cell\.swc is a file, not a project folder/],
    ];
    const results = await shellInTurn(cases.map(([line]) => line), work);
    for (const [k, [line, err]] of cases.entries()) {
      const r = results[k];
      expect({ line, code: r.code, lines: r.err.trimEnd().split('\n').length }).toEqual({ line, code: 2, lines: 1 });
      expect(r.err).toMatch(err);
    }
  });
});
