import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProject } from '../../../electron/services/export-service';
import { createProjectFromFolder, saveImageAnnotation } from '../../../electron/services/project-service';
import { parseAnnotation, serializeAnnotation } from '../../../shared/formats/annotation-file';
import type { AnnotationFile } from '../../../shared/formats/annotation/types';
import { parseCsv } from '../../../shared/project/csv-parse';
import { exportHeadline } from '../../../shared/project/export-tables';
import { applyImageAction, applyNeuronAction } from '../../../shared/review/review';
import { annotationFor, CAL_HALF, CAL_ONE, lineDocument, makeProjectFolder, yAndLineDocument } from '../../fixtures/project/make-project';

/*
 * A project whose four traced images stand at different points of review (worked out by hand, one row each):
 *   DRUG/drug_01.tif  Y + line, approved; then the line excluded ("cut at the edge")  → Y exported, line excluded
 *   VEH/veh_01.tif    Y + line, approved; then changes requested on the line          → Y exported, line changes requested
 *   VEH/veh_02.tif    line, ready for review                                          → left out
 *   VEH/veh_03.tif    line, in progress                                               → left out
 * Approved only: 2 neurons (the two Ys) from 2 images; 3 not approved: 1 in progress, 1 ready for review, 1 changes
 * requested. Without the option: every neuron but the excluded line, 5 rows.
 */

const REPO = resolve(__dirname, '../../..');
const tracer = { role: 'tracer' as const, userName: 'Tina', now: '2026-02-02T09:00:00.000Z', traced: true };
const reviewer = { role: 'reviewer' as const, userName: 'Dr. PI', now: '2026-02-03T10:00:00.000Z', traced: true };
let root: string;
let out: string;
const files: Record<string, AnnotationFile> = {};

beforeAll(async () => {
  root = await makeProjectFolder();
  out = await mkdtemp(join(tmpdir(), 'ramify-approved-'));
  let p = (await createProjectFromFolder(root, { conditions: 'subfolder', name: 'Review', now: tracer.now })).project;
  const at = (path: string) => p.images.find((i) => i.path === path)!.id;
  const approved = (f: AnnotationFile) => applyImageAction(applyImageAction(f.review, 'submit', tracer), 'approve', reviewer);
  const drug = annotationFor(yAndLineDocument(CAL_ONE));
  files['DRUG/drug_01.tif'] = { ...drug, review: applyNeuronAction(approved(drug), 9, 'exclude', { ...reviewer, reason: 'cut at the edge' }) };
  const veh = annotationFor(yAndLineDocument(CAL_HALF));
  files['VEH/veh_01.tif'] = { ...veh, review: applyNeuronAction(approved(veh), 9, 'request-changes', reviewer) };
  const ready = annotationFor(lineDocument(CAL_HALF));
  files['VEH/veh_02.tif'] = { ...ready, review: applyImageAction(ready.review, 'submit', tracer) };
  files['VEH/veh_03.tif'] = annotationFor(lineDocument(CAL_HALF));
  for (const [path, file] of Object.entries(files)) p = await saveImageAnnotation(root, p, at(path), file, tracer.now);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

async function neuronRows(dir: string): Promise<string[][]> {
  const [header, ...rows] = parseCsv(await readFile(join(dir, 'neurons.csv'), 'utf8'));
  const pick = ['image_file', 'neuron_name', 'review_status', 'reviewer'].map((c) => header.indexOf(c));
  return rows.map((r) => pick.map((k) => r[k]));
}

describe('excluding a neuron removes it from results but keeps it in the file', () => {
  it('the excluded line is still in the saved document, with its status and reason in the review', () => {
    const back = parseAnnotation(serializeAnnotation(files['DRUG/drug_01.tif']));
    expect(back.document.neurons.map((n) => n.name)).toEqual(['Y', 'line']);
    expect(back.review).toMatchObject({ status: 'approved', reviewer: 'Dr. PI', neurons: [{ neuronId: 9, status: 'excluded', reason: 'cut at the edge' }] });
  });
});

describe('export limited to approved neurons', () => {
  it('without the option every neuron but the excluded one gets a row, with its status', async () => {
    const r = await exportProject(root, join(out, 'all'), { appVersion: 't', now: '2026-02-04T00:00:00Z' });
    expect(exportHeadline(r)).toBe('Exported 5 neurons from 4 images');
    expect(await neuronRows(join(out, 'all'))).toEqual([
      ['DRUG/drug_01.tif', 'Y', 'approved', 'Dr. PI'],
      ['VEH/veh_01.tif', 'Y', 'approved', 'Dr. PI'],
      ['VEH/veh_01.tif', 'line', 'changes-requested', 'Dr. PI'],
      ['VEH/veh_02.tif', 'line', 'ready-for-review', ''],
      ['VEH/veh_03.tif', 'line', 'in-progress', ''],
    ]);
  });

  it('approved only: the two approved neurons, the others counted by status; SWC files for the approved only', async () => {
    const r = await exportProject(root, join(out, 'approved'), { appVersion: 't', now: '2026-02-04T00:00:00Z', approvedOnly: true, includeSwc: true });
    expect(exportHeadline(r)).toBe('Exported 2 approved neurons from 2 images; left out 3 neurons not approved (1 in progress, 1 ready for review, 1 changes requested)');
    expect(r.notApproved).toEqual({ 'in-progress': 1, 'ready-for-review': 1, 'changes-requested': 1 });
    expect(r.warnings).toContain('1 excluded neuron left out: DRUG/drug_01.tif line (cut at the edge).');
    expect(await neuronRows(join(out, 'approved'))).toEqual([
      ['DRUG/drug_01.tif', 'Y', 'approved', 'Dr. PI'],
      ['VEH/veh_01.tif', 'Y', 'approved', 'Dr. PI'],
    ]);
    // Sholl rows follow the neuron table: the lines have none.
    const [sh, ...sholl] = parseCsv(await readFile(join(out, 'approved', 'sholl.csv'), 'utf8'));
    expect(new Set(sholl.map((row) => row[sh.indexOf('neuron_name')]))).toEqual(new Set(['Y']));
    expect((await readdir(join(out, 'approved', 'swc'))).sort()).toEqual(['img-0001_1.swc', 'img-0003_1.swc']);
  });

  it('an export where every traced neuron is approved says so', () => {
    expect(exportHeadline({ neurons: 3, images: 1, notApproved: {} })).toBe('Exported 3 approved neurons from 1 image; every traced neuron is approved');
  });

  it('`npx ramify export --approved-only` through the installed bin writes the same rows and says what it left out', async () => {
    const dir = join(out, 'cli');
    const r = await promisify(execFile)('npx', ['ramify', 'export', root, '--out', dir, '--approved-only'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')[0]).toBe(`Exported 2 approved neurons from 2 images; left out 3 neurons not approved (1 in progress, 1 ready for review, 1 changes requested) to ${dir}:`);
    expect(r.stdout).toContain('  neurons.csv (2 rows)');
    expect(r.stdout).toContain('warning: 1 excluded neuron left out: DRUG/drug_01.tif line (cut at the edge).');
    expect(await neuronRows(dir)).toEqual([
      ['DRUG/drug_01.tif', 'Y', 'approved', 'Dr. PI'],
      ['VEH/veh_01.tif', 'Y', 'approved', 'Dr. PI'],
    ]);
  }, 120_000);
});

describe('who traced', () => {
  it("the first hand-over stamps the tracer's name when the file names nobody; a typed name is kept; reviewers stamp only the reviewer", () => {
    const blank = { ...annotationFor(lineDocument(null)).review, author: '' };
    expect(applyImageAction(blank, 'submit', tracer).author).toBe('Tina');
    expect(applyImageAction({ ...blank, author: 'AB' }, 'submit', tracer).author).toBe('AB');
    expect(applyImageAction({ ...blank, status: 'ready-for-review' }, 'approve', reviewer)).toMatchObject({ author: '', reviewer: 'Dr. PI' });
  });
});
