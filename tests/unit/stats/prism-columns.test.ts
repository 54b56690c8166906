import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProject } from '../../../electron/services/export-service';
import { compareGroups } from '../../../shared/stats/analyze';
import { makeResultsProject } from '../../fixtures/project/make-results-project';

let root: string;
let out: string;
let pzfx: string;
beforeAll(async () => {
  root = await makeResultsProject();
  out = await mkdtemp(join(tmpdir(), 'ramify-prism-'));
  await exportProject(root, out, { appVersion: '9.9.9', now: '2026-02-03T04:05:06Z' });
  pzfx = await readFile(join(out, 'sholl.pzfx'), 'utf8');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

/** The columns of the Column table titled `title`, as Prism reads them. */
function columnTable(title: string): { name: string; values: number[] }[] {
  const table = pzfx.split('<Table ').find((t) => t.includes(`<Title>${title}</Title>`));
  if (!table) throw new Error(`no table ${title}`);
  return [...table.matchAll(/<YColumn[^>]*>\n<Title><TextAlign align="Left">(.*?)<\/TextAlign><\/Title>\n<Subcolumn>\n([\s\S]*?)\n<\/Subcolumn>/g)].map((m) => ({
    name: m[1],
    values: [...m[2].matchAll(/<d>(.*?)<\/d>/g)].map((d) => Number(d[1])),
  }));
}

describe('Prism file: per-neuron Column tables', () => {
  it('one table per measure, one column per condition, listed in the table sequence', () => {
    expect(columnTable('Primary dendrites per neuron')).toEqual([
      { name: 'VEH', values: [3, 4, 3, 4, 5, 3] },
      { name: 'DRUG', values: [5, 6, 5, 7, 6, 6] },
      { name: 'KET', values: [4, 4, 5, 5, 4, 6] },
    ]);
    // Stars: per primary 38 µm after the 2 µm stem (stems are not length) + 2 × 20 µm.
    expect(columnTable('Total dendritic length (µm) per neuron')[0].values.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([234, 312, 234, 312, 390, 234]);
    const refs = [...pzfx.matchAll(/<Ref ID="(Table\d+)"/g)].map((m) => m[1]);
    const tables = [...pzfx.matchAll(/<Table ID="(Table\d+)"/g)].map((m) => m[1]);
    expect(refs).toEqual(tables);
    expect(tables.length).toBe(3 + 7);
  });

  it("the ANOVA of a Column table as Prism would run it equals R's for the same neurons", () => {
    // R: anova(lm(primaries ~ condition)) F = 11.140350877193, p = 0.001082813976.
    const r = compareGroups(columnTable('Primary dendrites per neuron'), { control: 'VEH' });
    expect(r.kind).toBe('groups');
    if (r.kind !== 'groups') return;
    expect(r.anova.F).toBeCloseTo(11.140350877193, 10);
    expect(r.anova.p / 0.001082813976).toBeCloseTo(1, 8);
  });
});
