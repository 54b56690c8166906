import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/ramify';
import { parseAnnotation } from '../../../shared/formats/annotation-file';
import { tempFolder } from './helpers/tmp';

const fixture = (p: string) => new URL(`../../fixtures/${p}`, import.meta.url).pathname;

async function ramify(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

let t: ReturnType<typeof tempFolder>;
beforeEach(() => (t = tempFolder('convert')));
afterEach(() => t.cleanup());

describe('ramify convert', () => {
  it('SWC → annotation with --pixel-size: µm divided by the pixel size, calibration recorded once', async () => {
    const out = join(t.dir, 'simple.ramify.json');
    const r = await ramify('convert', fixture('swc/neurom/simple.swc'), out, '--pixel-size', '0.5');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const file = parseAnnotation(readFileSync(out, 'utf8'));
    expect(file.document.calibration).toEqual({ pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm', source: 'user' });
    expect(file.image).toBeNull();
    const [neuron] = file.document.neurons;
    expect(neuron.name).toBe('simple');
    // simple.swc row 3 is "3 3 0 5 0 1 2": (0, 5) µm = the centre of pixel (0, 10) at 0.5 µm/px, (0.5, 10.5) in document
    // px (pixel corners at integers); radius 1 µm = 2 px.
    expect(neuron.branches[0].nodes[1]).toEqual({ id: 4, x: 0.5, y: 10.5, z: 0, r: 2 });
    expect(t.list()).toEqual(['simple.ramify.json']);
  });

  it('without --pixel-size assumes 1 µm/px and says so on stderr', async () => {
    const out = join(t.dir, 'a.json');
    const r = await ramify('convert', fixture('swc/neurom/simple.swc'), out);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('ramify convert: no --pixel-size given; using 1 µm/px (1 px per µm).\n');
    expect(parseAnnotation(readFileSync(out, 'utf8')).document.neurons[0].branches[0].nodes[1]).toEqual({ id: 4, x: 0.5, y: 5.5, z: 0, r: 1 });
  });

  it('without --pixel-size takes the voxel size the SWC header states, and says so', async () => {
    const swc = join(t.dir, 'snt.swc');
    writeFileSync(swc, '# Voxel separation (x,y,z): 0.25, 0.25, 1\n1 1 0 0 0 2 -1\n2 3 0 5 0 1 1\n');
    const out = join(t.dir, 'snt.ramify.json');
    const r = await ramify('convert', swc, out);
    expect(r).toEqual({ code: 0, stdout: '', stderr: `ramify convert: no --pixel-size given; using the voxel size ${swc} states (0.25 × 0.25 µm per px).\n` });
    const doc = parseAnnotation(readFileSync(out, 'utf8')).document;
    expect(doc.calibration).toMatchObject({ pixelWidth: 0.25, pixelHeight: 0.25, voxelDepth: 1, unit: 'µm' });
    // (0, 5) µm at 0.25 µm/px: pixel (0, 20), its centre (0.5, 20.5); radius 1 µm = 4 px.
    expect(doc.neurons[0].branches[0].nodes[0]).toMatchObject({ x: 0.5, y: 20.5, z: 0, r: 4 });
  });

  it('annotation → SWC gives back the µm of the original rows', async () => {
    const mid = join(t.dir, 'a.ramify.json');
    const back = join(t.dir, 'back.swc');
    await ramify('convert', fixture('swc/neurom/simple.swc'), mid, '--pixel-size', '0.25');
    const r = await ramify('convert', mid, back);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    const rows = readFileSync(back, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rows).toEqual(['1 1 0 0 0 1 -1', '2 3 0 0 0 1 1', '3 3 0 5 0 1 2', '4 3 -5 5 0 0 3', '5 3 6 5 0 0 3', '6 2 0 0 0 1 1', '7 2 0 -4 0 1 6', '8 2 6 -4 0 0 7', '9 2 -5 -4 0 0 7']);
  });

  it('upgrades a version-0 annotation file to the current version', async () => {
    const out = join(t.dir, 'v1.ramify.json');
    expect((await ramify('convert', fixture('annotation/v0.json'), out)).code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).version).toBe(1);
  });

  it('an uncalibrated annotation needs --pixel-size for SWC', async () => {
    const src = join(t.dir, 'u.json');
    const j = JSON.parse(readFileSync(fixture('annotation/v1.json'), 'utf8'));
    j.calibration = null;
    writeFileSync(src, JSON.stringify(j));
    const r = await ramify('convert', src, join(t.dir, 'u.swc'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ramify convert: ${src} has no pixel size, so SWC (µm) cannot be written; give --pixel-size UM.\n`);
    expect((await ramify('convert', src, join(t.dir, 'u.swc'), '--pixel-size', '2')).code).toBe(0);
    // Node 3 of the fixture is at (60, 50) px, in pixel (59, 49) → its centre at (119, 99) µm.
    expect(readFileSync(join(t.dir, 'u.swc'), 'utf8')).toContain('\n2 3 119 99 0 ');
  });

  it('errors are one line with exit code 2; usage errors exit 1', async () => {
    const bad = join(t.dir, 'bad.swc');
    writeFileSync(bad, '1 1 0 0 0 1 -1\n2 3 abc 0 0 1 1\n');
    const r = await ramify('convert', bad, join(t.dir, 'x.json'), '--pixel-size', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("ramify convert: SWC line 2: x must be a number, found 'abc'.\n");
    expect(t.list()).toEqual(['bad.swc']);

    const newer = join(t.dir, 'newer.json');
    writeFileSync(newer, '{"format":"ramify-annotation","version":5}');
    const n = await ramify('convert', newer, join(t.dir, 'x.swc'));
    expect(n.code).toBe(2);
    expect(n.stderr.trim().split('\n')).toHaveLength(1);
    expect(n.stderr).toContain('made by a newer Ramify (format version 5); update Ramify');

    expect((await ramify('convert', join(t.dir, 'missing.swc'), join(t.dir, 'x.json'))).stderr).toContain('cannot read');
    expect((await ramify('convert', 'a.txt', 'b.json')).code).toBe(1);
    expect((await ramify('convert', 'a.swc')).code).toBe(1);
    expect((await ramify('convert', 'a.swc', 'b.json', '--pixel-size', '-1')).code).toBe(1);
  });
});
