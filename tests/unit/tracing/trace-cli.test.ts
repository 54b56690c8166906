import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/ramify';
import { encodeTiff } from '../../../shared/formats/tiff/encode';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['trace', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

const neurites = fileURLToPath(new URL('../../fixtures/neuronj/neurites.tif', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ramify-trace-'));
const flatTif = join(dir, 'flat.tif');
// 20×20, two channels: channel 1 flat (no signal), channel 2 with a bright column 12.
const ch2 = new Uint16Array(400).fill(50);
for (let y = 0; y < 20; y++) ch2[12 + 20 * y] = 5000;
writeFileSync(flatTif, encodeTiff({ width: 20, height: 20, planes: [new Uint16Array(400).fill(300), ch2], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', imagejDescription: 'ImageJ=1.54f\nimages=2\nchannels=2\nmode=composite\n' }));

describe('ramify trace', () => {
  it('traces a flat image as an 8-connected straight-ish path (5 diagonal + 5 straight steps)', async () => {
    const r = await cli([flatTif, '--from', '0.2,0.9', '--to', '10.7,5.1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.paths.length).toBe(1);
    expect(out.paths[0].from).toEqual([0.2, 0.9]);
    expect(out.paths[0].points.length).toBe(11);
    expect(out.paths[0].points[0]).toEqual([0.5, 0.5]);
    expect(out.paths[0].points[10]).toEqual([10.5, 5.5]);
    expect(out.paths[0].length_px).toBe(12.071);
    expect(out.timings.searchMs.length).toBe(1);
    expect(out.timings.costImageMs).toBeGreaterThan(0);
  });

  it('uses 1-based --channel: channel 2 pulls the path onto the bright column', async () => {
    const r = await cli([flatTif, '--from', '12.5,1.5', '--to', '12.5,18.5', '--channel', '2', '--json']);
    const pts: Array<[number, number]> = JSON.parse(r.stdout).paths[0].points;
    expect(pts.length).toBe(18);
    expect(pts.every(([x]) => x === 12.5)).toBe(true);
  });

  it('traces several pairs on NeuronJ neurites.tif', async () => {
    const r = await cli([neurites, '--from', '138,328', '--to', '450,81', '--from', '450,81', '--to', '612,68', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.paths.map((p: { points: number[][] }) => [p.points[0], p.points[p.points.length - 1]])).toEqual([
      [[138.5, 328.5], [450.5, 81.5]],
      [[450.5, 81.5], [612.5, 68.5]],
    ]);
    // NeuronJ's own polylines for these tracings are 416.9 and 168.6 px long; pixel paths are a little longer.
    expect(out.paths[0].length_px).toBeGreaterThan(416);
    expect(out.paths[0].length_px).toBeLessThan(460);
    expect(out.paths[1].length_px).toBeGreaterThan(168);
    expect(out.paths[1].length_px).toBeLessThan(190);
    expect(out.timings.searchMs.length).toBe(2);
  });

  it('prints a readable summary without --json', async () => {
    const r = await cli([flatTif, '--from', '0,0', '--to', '3,0']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^path 1: \(0, 0\) → \(3, 0\): 4 pixels, 3 px long\n/);
  });

  it('exits 1 with usage on bad arguments', async () => {
    for (const args of [[], [flatTif], [flatTif, '--from', '1,2'], [flatTif, '--from', '1', '--to', '2,3'], [flatTif, '--from', '1,2', '--to', '2,3', '--channel', '0'], [flatTif, '--from', '1,2', '--to', '2,3', '--scale', '-1'], [flatTif, '--from', '1,2', '--to', '2,3', '--bogus', 'x']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/Usage: ramify trace/);
    }
    const ch = await cli([flatTif, '--from', '1,2', '--to', '2,3', '--channel', '3']);
    expect(ch.code).toBe(1);
    expect(ch.stderr).toBe(`ramify trace: --channel 3 is out of range: ${flatTif} has 2 channels.\n`);
  });

  it('exits 2 with one line on an unreadable image', async () => {
    const missing = await cli([join(dir, 'nope.tif'), '--from', '1,2', '--to', '2,3']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`ramify trace: cannot read ${join(dir, 'nope.tif')}: no such file\n`);
    const junk = join(dir, 'junk.tif');
    writeFileSync(junk, 'not an image at all');
    const bad = await cli([junk, '--from', '1,2', '--to', '2,3']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n').length).toBe(2);
  });

  it('prints help with exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1-based as in ImageJ/);
  });
});
