import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeAnnotation } from '../../../shared/formats/annotation-file';
import { annotationFor, CAL_HALF, tinyTiff, yAndLineDocument } from '../../fixtures/project/make-project';

/**
 * The `ramify` command as a user runs it: every example of README.md's "The `ramify` command" section, run as
 * printed through `npx ramify` (npm resolves the package's own bin after `npm ci`), in a scratch folder inside the
 * clone holding the files the examples name.
 */

const REPO = resolve(__dirname, '../../..');
const run = promisify(execFile);
let work: string;

async function sh(line: string): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run('sh', ['-c', line], { cwd: work, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : -1, out: x.stdout ?? '', err: x.stderr ?? '' };
  }
}

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
  // Inside the clone (git-ignored .tmp-*), because `npx ramify` finds the bin through the enclosing package.json.
  work = await mkdtemp(join(REPO, '.tmp-readme-'));
  await copyFile(join(REPO, 'build/sample/sample-neurons.tif'), join(work, 'cells.tif'));
  await writeFile(join(work, 'cells.ramify.json'), serializeAnnotation(annotationFor(yAndLineDocument(CAL_HALF))));
  await writeFile(join(work, 'cell.swc'), '# soma and a 30 µm dendrite\n1 1 5 5 0 2 -1\n2 3 5 10 0 1 1\n3 3 5 40 0 1 2\n');
  await writeFile(join(work, 'veh_01.swc'), '1 1 10 10 0 2 -1\n2 3 10 20 0 1 1\n3 3 10 30 0 1 2\n');
  for (const p of ['vehicle/veh_01.tif', 'vehicle/veh_02.tif', 'drug/drug_01.tif']) {
    await mkdir(join(work, 'experiment', p, '..'), { recursive: true });
    await writeFile(join(work, 'experiment', p), tinyTiff(0.5, 64));
  }
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('README: every `npx ramify` example works as printed', { timeout: 240_000 }, () => {
  it('runs the seven examples in order, each doing what its comment says', async () => {
    const examples = await readmeExamples();
    expect(examples.map((l) => l.split(/\s+/)[2])).toEqual(['inspect', 'trace', 'measure', 'convert', 'project', 'import', 'export']);
    const results = [];
    for (const line of examples) {
      const r = await sh(line);
      // convert says on stderr which pixel size it used; nothing else may complain.
      const note = line.includes(' convert ') ? 'ramify convert: no --pixel-size given; using 1 µm/px (px coordinates equal µm).\n' : '';
      expect({ line, code: r.code, err: r.err }).toEqual({ line, code: 0, err: note });
      results.push(r.out);
    }
    const [inspect, trace, measure] = results.map((o, i) => (i < 3 ? JSON.parse(o) : o));
    expect(inspect).toMatchObject({ width: 1024, height: 1024, bitsPerSample: 16, channels: 2 });
    expect(trace.paths[0].from).toEqual([120, 88]);
    // The end is the --to click snapped onto the ridge centre: within the 3 px snap radius (docs/data-dictionary.md).
    const [ex, ey] = trace.paths[0].points.at(-1);
    expect(Math.hypot(ex - 240, ey - 130)).toBeLessThan(3);
    // yAndLineDocument at 0.5 µm/px: the Y is 2 + 20 + 2 × 25 µm of dendrite after its stem, the line 30 µm.
    expect(measure.map((n: { neuron: string; total_length_um: number }) => [n.neuron, n.total_length_um])).toEqual([['Y', 70], ['line', 30]]);
    const converted = JSON.parse(await readFile(join(work, 'cell.ramify.json'), 'utf8'));
    expect(converted.document.neurons[0].branches[0].nodes.map((q: { x: number; y: number }) => [q.x, q.y])).toEqual([[5, 10], [5, 40]]);
    const project = JSON.parse(await readFile(join(work, 'experiment/ramify-project.json'), 'utf8'));
    expect(project.images.map((i: { path: string; metadata: { condition: string } }) => [i.path, i.metadata.condition])).toEqual([
      ['drug/drug_01.tif', 'drug'],
      ['vehicle/veh_01.tif', 'vehicle'],
      ['vehicle/veh_02.tif', 'vehicle'],
    ]);
    expect(results[5]).toMatch(/^Imported 1 neuron\(s\) into vehicle\/veh_01\.tif \(img-\d{4}\); it now has 1\.\n/);
    const neurons = (await readFile(join(work, 'results/neurons.csv'), 'utf8')).split('\r\n').filter(Boolean);
    expect(neurons).toHaveLength(2);
    expect(neurons[1]).toContain('vehicle/veh_01.tif');
  });
});

const VERBS = ['inspect', 'trace', 'measure', 'convert', 'project', 'import', 'autotrace', 'export'];

describe('`npx ramify`: help and exit codes of every verb', { timeout: 240_000 }, () => {
  it('--help of the command and of every verb prints usage and exits 0', async () => {
    const top = await sh('npx ramify --help');
    expect(top.code).toBe(0);
    for (const v of VERBS) expect(top.out).toContain(`  ${v} `);
    const helps = await Promise.all(VERBS.map((v) => sh(`npx ramify ${v} --help`)));
    helps.forEach((r, k) => {
      const v = VERBS[k];
      expect({ v, code: r.code, first: r.out.split('\n')[0].startsWith(`Usage: ramify ${v} `) }).toEqual({ v, code: 0, first: true });
    });
  });

  it('bad arguments exit 1 with usage on stderr', async () => {
    const lines = ['npx ramify', 'npx ramify frobnicate', ...VERBS.map((v) => `npx ramify ${v}`)];
    const results = await Promise.all(lines.map(sh));
    for (const [k, line] of lines.entries()) {
      const r = results[k];
      expect({ line, code: r.code, usage: /Usage: ramify/.test(r.err + r.out) }).toEqual({ line, code: 1, usage: true });
    }
  });

  it('unreadable input exits 2 with one line saying why', async () => {
    const cases: Array<[string, RegExp]> = [
      ['npx ramify inspect missing.tif', /^ramify inspect: cannot read missing\.tif: no such file\n$/],
      ['npx ramify trace missing.tif --from 1,1 --to 2,2', /^ramify trace: cannot read missing\.tif: no such file\n$/],
      ['npx ramify measure missing.swc --json', /^ramify measure: .*missing\.swc: no such file\.\n$/],
      ['npx ramify convert missing.swc out.ramify.json', /^ramify convert: cannot read missing\.swc: no such file\.\n$/],
      ['npx ramify project status nowhere/', /^ramify project status: No Ramify project in .*nowhere \(ramify-project\.json is missing/],
      ['npx ramify import nowhere/ img-0001 cell.swc', /^ramify import: No Ramify project in .*nowhere/],
      ['npx ramify export nowhere/ --out results2/', /^ramify export: No Ramify project in .*nowhere/],
      ['npx ramify autotrace missing.tif', /^ramify autotrace: cannot read missing\.tif: no such file\n$/],
      ['npx ramify inspect cell.swc', /^ramify inspect: cannot read cell\.swc: /],
    ];
    const results = await Promise.all(cases.map(([line]) => sh(line)));
    for (const [k, [line, err]] of cases.entries()) {
      const r = results[k];
      expect({ line, code: r.code, lines: r.err.trimEnd().split('\n').length }).toEqual({ line, code: 2, lines: 1 });
      expect(r.err).toMatch(err);
    }
  });
});
