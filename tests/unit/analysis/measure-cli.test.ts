import { newAnnotationFile, serializeAnnotation } from '../../../shared/formats/annotation-file';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../electron/cli/commands/measure';
import { buildDoc } from './build';

const SIMPLE = join(__dirname, '../../fixtures/swc/neurom/simple.swc');

async function cli(...args: string[]) {
  let out = '';
  let err = '';
  const code = await run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

describe('ramify measure', () => {
  it('--json: one record per neuron with the Sholl profile', async () => {
    const r = await cli(SIMPLE, '--start', '1', '--json');
    expect(r.code).toBe(0);
    const [rec] = JSON.parse(r.out);
    expect(rec).toMatchObject({
      neuron: 'simple', unit: 'um', primary_branches: 2, branch_points: 2, tips: 4, branches: 6, total_length_um: 31, stem_length_um: 0,
      mean_branch_length_um: 5.166666667, max_branch_order: 2, strahler_order: 2, sholl_nmax: 4, sholl_nmax_radius_um: 6,
      sholl_enclosing_radius_um: 7, sholl_ramification_index: 2,
    });
    expect(rec.sholl).toEqual([1, 2, 3, 4, 5, 6, 7].map((radius_um, i) => ({ radius_um, crossings: [2, 2, 2, 2, 3, 4, 3][i] })));
  });

  it('--csv: header and one row per neuron; --profile: long Sholl table', async () => {
    const r = await cli(SIMPLE, '--csv', '--start=1', '--end', '3');
    const [header, row, last] = r.out.split('\r\n');
    expect(header.startsWith('neuron,neuron_id,unit,primary_branches,branch_points,tips,branches,total_length_um,stem_length_um')).toBe(true);
    const rec = Object.fromEntries(header.split(',').map((h, i) => [h, row.split(',')[i]]));
    expect(rec).toMatchObject({ neuron: 'simple', total_length_um: '31', sholl_nmax: '2', sholl_end_um: '3', sholl_loglog_decay: '2', sholl_loglog_r2: '1' });
    expect(last).toBe('');
    const p = await cli(SIMPLE, '--csv', '--profile', '--start', '4', '--end', '6');
    expect(p.out).toBe('neuron,neuron_id,radius_um,crossings,fitted\r\nsimple,1,4,2,2\r\nsimple,1,5,3,3\r\nsimple,1,6,4,4\r\n');
  });

  it('--labels restricts the measured branches', async () => {
    const [rec] = JSON.parse((await cli(SIMPLE, '--labels', 'axon', '--start', '1')).out);
    expect(rec).toMatchObject({ primary_branches: 1, tips: 2, total_length_um: 15 });
    expect((await cli(SIMPLE, '--labels', 'spine')).code).toBe(1);
  });

  it('bad input: exit 2 with one line naming the problem; bad options: exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ramify-measure-'));
    writeFileSync(join(dir, 'bad.swc'), '1 1 0 0 0 1 -1\n2 3 0 0 0 1 7\n');
    const bad = await cli(join(dir, 'bad.swc'));
    expect(bad.code).toBe(2);
    expect(bad.err).toBe(`ramify measure: ${join(dir, 'bad.swc')}: SWC line 2: sample 2 has parent 7, which is not in the file.\n`);
    expect((await cli(join(dir, 'missing.swc'))).code).toBe(2);
    writeFileSync(join(dir, 'x.tif'), 'x');
    expect((await cli(join(dir, 'x.tif'))).err).toContain("Cannot measure '.tif' files");
    expect((await cli(SIMPLE, '--step', '0')).code).toBe(1);
    expect((await cli(SIMPLE, '--start', 'ten')).err).toBe("ramify measure: --start must be a number (got 'ten').\n");
    expect((await cli()).code).toBe(1);
  });

  it('reads a Ramify annotation file; uncalibrated → px columns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ramify-measure-'));
    const doc = buildDoc({ calibration: null, branches: [{ from: 'soma', nodes: [[10, 0], [20, 0]] }] });
    writeFileSync(join(dir, 'a.json'), serializeAnnotation(newAnnotationFile(doc, { appVersion: 'test' })));
    const [rec] = JSON.parse((await cli(join(dir, 'a.json'), '--start', '5', '--step', '5')).out);
    expect(rec).toMatchObject({ unit: 'px', total_length_px: 10, stem_length_px: 10, sholl_nmax: 1, sholl_enclosing_radius_px: 20 });
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ format: 'ramify-annotation', version: 99, document: doc }));
    expect((await cli(join(dir, 'b.json'))).err).toContain('newer Ramify');
    // Calibration stored in the file (top level) is the one measured with.
    const calibrated = buildDoc({ calibration: { pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm', source: 'user' }, branches: [{ from: 'soma', nodes: [[10, 0], [20, 0]] }] });
    writeFileSync(join(dir, 'c.json'), serializeAnnotation(newAnnotationFile(calibrated, { appVersion: 'test' })));
    const [cal] = JSON.parse((await cli(join(dir, 'c.json'), '--start', '1', '--step', '1')).out);
    expect(cal).toMatchObject({ unit: 'um', total_length_um: 5, stem_length_um: 5 });
  });
});
