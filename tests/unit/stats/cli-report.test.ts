import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ramify } from '../run-cli';
import { makeResultsProject } from '../../fixtures/project/make-results-project';

let root: string;
beforeAll(async () => {
  root = await makeResultsProject();
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('ramify report', () => {
  it('writes one HTML file with inline SVG figures and prints what it counted', async () => {
    const out = join(root, 'r.html');
    const r = await ramify('report', root, '--out', out);
    expect(r.err).toBe('');
    expect([r.code, r.out]).toEqual([0, `Wrote ${out}: 18 neurons in 3 conditions (VEH, DRUG, KET).\n`]);
    const html = await readFile(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(9);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('per culture: the unit of analysis is the mean of each culture', async () => {
    const out = join(root, 'c.html');
    expect((await ramify('report', root, '--out', out, '--unit', 'culture', '--control', 'DRUG')).code).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('The unit of analysis is the mean per culture.');
    expect(html).toContain("Dunnett's many-to-one comparisons against DRUG");
    // Cultures c1–c3 hold 2 neurons each: VEH culture means of primaries (3,4), (3,4), (5,3) → 3.5, 3.5, 4.
    expect(html).toContain('<tr><td>VEH</td><td>3</td><td>3.667</td>');
  });

  it('rc 1 for arguments and an unknown control, rc 2 for an unreadable project', async () => {
    expect((await ramify('report', root)).code).toBe(1);
    const ctl = await ramify('report', root, '--out', join(root, 'x.html'), '--control', 'vehicle');
    expect([ctl.code, ctl.err]).toEqual([1, "ramify report: unknown control 'vehicle'; conditions are: VEH, DRUG, KET\n"]);
    const missing = await ramify('report', join(root, 'nope'), '--out', join(root, 'x.html'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^ramify report: cannot read .*nope: .+\n$/);
  });

  it('rc 2 with the folder named when the report cannot be written there (it said ENOENT of its temp file)', async () => {
    const r = await ramify('report', root, '--out', join(root, 'no-such-folder', 'r.html'));
    expect([r.code, r.err]).toEqual([2, `ramify report: Could not save r.html: the folder ${join(root, 'no-such-folder')} does not exist (any more).\n`]);
  });
});
