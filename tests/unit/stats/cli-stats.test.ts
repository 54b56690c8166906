import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ramify } from '../run-cli';
import { createProjectFromFolder, saveImageAnnotation, saveProject } from '../../../electron/services/project-service';
import { setSholl } from '../../../shared/project/project';
import { annotationFor, CAL_HALF, CAL_ONE, lineDocument, makeProjectFolder, yAndLineDocument } from '../../fixtures/project/make-project';
import { reference, root as repo } from './r-reference';

const fixture = (f: string) => join(repo, 'tests/fixtures/stats', f);
const olson = reference.datasets['olson-fig3d-spines'];
let scratch: string;
let project: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ramify-stats-'));
  await writeFile(join(scratch, 'bad.csv'), 'cond,len\nA,1\nA,2\nB,abc\nB,4\n');
  await writeFile(join(scratch, 'single.csv'), 'cond,len\nA,1\nA,2\nB,3\nC,4\nC,5\n');
  // A project: VEH has a Y neuron (2 tips) and a line neuron (1 tip); DRUG a calibrated and an uncalibrated line.
  project = await makeProjectFolder();
  const NOW = '2026-01-01T00:00:00.000Z';
  let p = (await createProjectFromFolder(project, { conditions: 'subfolder', name: 'Stats', now: NOW })).project;
  p = setSholl(p, { start: 10, step: 10, end: null }, NOW);
  await saveProject(project, p);
  p = await saveImageAnnotation(project, p, 'img-0001', annotationFor(lineDocument(CAL_ONE)), NOW);
  p = await saveImageAnnotation(project, p, 'img-0002', annotationFor(lineDocument(null)), NOW);
  p = await saveImageAnnotation(project, p, 'img-0003', annotationFor(yAndLineDocument(CAL_HALF)), NOW);
  await saveProject(project, p);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
  await rm(project, { recursive: true, force: true });
});

describe('ramify stats', () => {
  it('five groups with a control: the JSON of the issue, with R’s numbers (Olson lab Fig. 3d)', async () => {
    const r = await ramify('stats', fixture('olson-fig3d-spines.csv'), '--group', 'condition', '--value', 'spine_density', '--control', 'VEH', '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.groups.map((g: { name: string; n: number }) => [g.name, g.n])).toEqual([['VEH', 17], ['KET', 5], ['IBO', 16], ['IBG', 14], ['TBG', 16]]);
    expect(Object.keys(j.groups[0])).toEqual(['name', 'n', 'mean', 'sd', 'sem']);
    expect(j.groups[2].sem).toBeCloseTo(olson.groups[2].sem, 12);
    expect(Object.keys(j.anova)).toEqual(['F', 'df_between', 'df_within', 'p']);
    expect(j.anova.F).toBeCloseTo(olson.anova.F, 9);
    expect(j.anova.p / olson.anova.p).toBeCloseTo(1, 6);
    expect(j.comparisons).toHaveLength(4);
    j.comparisons.forEach((c: Record<string, number | string>, i: number) => {
      expect(Object.keys(c)).toEqual(['group', 'control', 'difference', 'ci_low', 'ci_high', 'p_adjusted', 'method']);
      expect([c.group, c.control, c.method]).toEqual([olson.dunnett[i].group, 'VEH', 'Dunnett']);
      expect(Math.abs((c.p_adjusted as number) - olson.dunnett[i].p_adjusted)).toBeLessThan(2e-3);
      expect(Math.abs((c.ci_low as number) - olson.dunnett[i].ci_low_precise)).toBeLessThan(1e-5);
    });
    expect(Object.keys(j.kruskal)).toEqual(['H', 'df', 'p']);
    expect(j.kruskal.H).toBeCloseTo(olson.kruskal.H, 9);
  });

  it('without a control: Tukey for all pairs', async () => {
    const r = await ramify('stats', fixture('olson-fig3d-spines.csv'), '--group', 'condition', '--value', 'spine_density', '--json');
    const j = JSON.parse(r.out);
    expect(j.comparisons).toHaveLength(10);
    const ibo = j.comparisons.find((c: { group: string; control: string }) => c.group === 'IBO' && c.control === 'VEH');
    const ref = olson.tukey.find((t: { a: string; b: string }) => t.a === 'IBO' && t.b === 'VEH');
    expect(ibo.method).toBe('Tukey');
    expect(ibo.p_adjusted / ref.p_adjusted).toBeCloseTo(1, 6);
  });

  it('two groups: Welch by default, Student with --equal-variances, Mann–Whitney (exact)', async () => {
    const ref = reference.datasets['two-groups-small'].pairs[0];
    const args = ['stats', fixture('two-groups-small.csv'), '--group', 'group', '--value', 'value', '--control', 'control', '--json'];
    const w = JSON.parse((await ramify(...args)).out);
    expect(Object.keys(w)).toEqual(expect.arrayContaining(['groups', 't_test', 'mann_whitney']));
    expect(w.groups.map((g: { name: string }) => g.name)).toEqual(['control', 'treated']);
    expect(w.t_test).toMatchObject({ welch: true });
    expect(w.t_test.t).toBeCloseTo(ref.welch.t, 10);
    expect(w.t_test.df).toBeCloseTo(ref.welch.df, 10);
    expect(w.t_test.p / ref.welch.p).toBeCloseTo(1, 6);
    expect(w.mann_whitney).toEqual({ U: ref.mann_whitney.U, p: expect.closeTo(ref.mann_whitney.p, 12), method: 'exact' });
    const s = JSON.parse((await ramify(...args, '--equal-variances')).out);
    expect(s.t_test.welch).toBe(false);
    expect(s.t_test.p / ref.student.p).toBeCloseTo(1, 6);
  });

  it('--csv writes one number per row', async () => {
    const r = await ramify('stats', fixture('two-groups-ties.csv'), '--group', 'genotype', '--value', 'branch_points', '--csv');
    const lines = r.out.trimEnd().split('\r\n');
    expect(lines[0]).toBe('test,group,control,statistic,value');
    expect(lines).toContain('summary,wt,,n,12');
    expect(lines.some((l) => l.startsWith('mann_whitney,ko,wt,p,'))).toBe(true);
  });

  it('a project folder: its neurons as the export writes them (hand-computed t and U)', async () => {
    const r = await ramify('stats', project, '--group', 'condition', '--value', 'tips', '--control', 'VEH', '--json');
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    // VEH tips {2, 1}, DRUG {1, 1}: t = −0.5/√(0.5/2) = −1 on Welch df 1 → p = 0.5 exactly.
    expect(j.groups.map((g: { name: string; n: number }) => [g.name, g.n])).toEqual([['VEH', 2], ['DRUG', 2]]);
    expect(j.t_test.t).toBeCloseTo(-1, 12);
    expect(j.t_test.df).toBeCloseTo(1, 12);
    expect(j.t_test.p).toBeCloseTo(0.5, 12);
    // Ranks of {1,1,1,2}: DRUG 2+2 → U = 1; ties σ = 1; z = (1 − 2 + 0.5)/1 → p = 2Φ(−0.5).
    expect(j.mann_whitney).toEqual({ U: 1, p: expect.closeTo(0.6170750774519738, 12), method: 'normal' });
    // The uncalibrated image has no lengths: its empty cell is skipped and DRUG is left with one value.
    const len = await ramify('stats', project, '--group', 'condition', '--value', 'total_length_um');
    expect(len.code).toBe(2);
    expect(len.err).toBe('ramify stats: group with fewer than 2 values: DRUG (n=1)\n');
  });

  it('bad input: names the row and column, the small group, the groups for an unknown control', async () => {
    const bad = await ramify('stats', join(scratch, 'bad.csv'), '--group', 'cond', '--value', 'len');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("ramify stats: row 3, column 'len': 'abc' is not a number\n");
    const single = await ramify('stats', join(scratch, 'single.csv'), '--group', 'cond', '--value', 'len');
    expect([single.code, single.err]).toEqual([2, 'ramify stats: group with fewer than 2 values: B (n=1)\n']);
    const ctl = await ramify('stats', fixture('olson-fig3d-spines.csv'), '--group', 'condition', '--value', 'spine_density', '--control', 'vehicle');
    expect([ctl.code, ctl.err]).toEqual([1, "ramify stats: unknown control 'vehicle'; groups are: VEH, KET, IBO, IBG, TBG\n"]);
  });

  it('rc 1 with usage for arguments, rc 2 with one line for an unreadable file', async () => {
    const noValue = await ramify('stats', fixture('olson-fig3d-spines.csv'), '--group', 'condition');
    expect(noValue.code).toBe(1);
    expect(noValue.err).toMatch(/^ramify stats: expected --group COLUMN and --value COLUMN\.\nUsage: ramify stats INPUT/);
    const col = await ramify('stats', fixture('olson-fig3d-spines.csv'), '--group', 'condition', '--value', 'density');
    expect(col.code).toBe(1);
    expect(col.err.split('\n')[0]).toBe("ramify stats: no column 'density'; columns are: condition, spine_density");
    const missing = await ramify('stats', join(scratch, 'nope.csv'), '--group', 'a', '--value', 'b');
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^ramify stats: cannot read .*nope\.csv: .+\n$/);
    expect(missing.err.split('\n')).toHaveLength(2);
  });

  it('through the command-line entry point (node electron/cli/bin.mjs)', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [join(repo, 'electron/cli/bin.mjs'), 'stats', fixture('ties-three-groups.csv'), '--group', 'group', '--value', 'count', '--control', 'ctrl']);
    expect(stdout).toMatch(/^count by group:\n  ctrl: n=11/);
    expect(stdout).toContain('One-way ANOVA: F(2, 29) =');
    const err = await run(process.execPath, [join(repo, 'electron/cli/bin.mjs'), 'stats']).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
  });
});
