import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProjectFromFolder, saveProject } from '../../electron/services/project-service';
import { newAnnotationFile, serializeAnnotation, type ShollSettings } from '../../shared/formats/annotation-file';
import type { AnnotationDocument } from '../../shared/model/document';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { expect, SAMPLE, test, waitForImage } from './harness';

const truth = JSON.parse(readFileSync(SAMPLE.replace('.tif', '.truth.json'), 'utf8')) as { document: AnnotationDocument };
const PROJECT_SHOLL = { start: 10, step: 4, end: null };
/** What each image's file says it was measured with: both differ from the project. */
const FILE_SHOLL: ShollSettings[] = [
  { start: 5, step: 2, end: null },
  { start: 20, step: 10, end: 100 },
];

/** A project of two copies of the sample whose saved tracings were measured with other radii than the project's. */
async function projectWithOlderRadii(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), 'ramify-sholl-owner-'));
  for (const d of ['a', 'b']) {
    mkdirSync(join(folder, d));
    copyFileSync(SAMPLE, join(folder, d, `${d}.tif`));
  }
  let { project } = await createProjectFromFolder(folder, { conditions: 'subfolder' });
  mkdirSync(join(folder, 'annotations'));
  project = {
    ...project,
    sholl: PROJECT_SHOLL,
    images: project.images.map((img, i) => {
      const rel = `annotations/${img.id}.ramify.json`;
      writeFileSync(join(folder, rel), serializeAnnotation(newAnnotationFile(truth.document, { appVersion: '0.0.0-e2e', shollSettings: FILE_SHOLL[i] })));
      return { ...img, annotation: rel, neuronCount: truth.document.neurons.length, status: 'in-progress' as const };
    }),
  };
  await saveProject(folder, project);
  return folder;
}

test("inside a project the project's Sholl settings rule: panel and exported CSV agree for every image", async ({ app }) => {
  const { page } = app;
  const folder = await projectWithOlderRadii();
  const out = mkdtempSync(join(tmpdir(), 'ramify-sholl-export-'));
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');

  app.dialogAnswers.push(folder);
  await page.keyboard.press('Control+Shift+O');
  const panel: Array<{ image: string; nmax: string; sum: string }> = [];
  for (const name of ['a.tif', 'b.tif']) {
    if (name === 'b.tif') await page.keyboard.press('PageDown');
    await waitForImage(page, name);
    await expect.poll(async () => (await page.getByLabel('Neurons').textContent()) ?? '').toContain(truth.document.neurons[0].name);
    // The panel shows the project's radii, not the file's.
    await expect(page.getByLabel('Sholl start radius')).toHaveValue(String(PROJECT_SHOLL.start));
    await expect(page.getByLabel('Sholl step')).toHaveValue(String(PROJECT_SHOLL.step));
    await expect(page.getByLabel('Sholl end radius')).toHaveValue('');
    panel.push({ image: name, nmax: (await page.getByTestId('metric-sholl_nmax').locator('td.value').textContent())!, sum: (await page.getByTestId('metric-sholl_sum').locator('td.value').textContent())! });
  }
  // Opening images saved with other radii changed nothing in the project.
  expect(parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8')).sholl).toEqual(PROJECT_SHOLL);

  await page.getByRole('button', { name: 'Export…' }).click();
  app.dialogAnswers.push(out);
  await page.getByRole('button', { name: 'Choose folder and export…' }).click();
  await expect(page.getByTestId('notice')).toContainText('Exported');
  const [header, ...rows] = readFileSync(join(out, 'neurons.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = header.split(',');
  const cell = (row: string[], c: string) => row[cols.indexOf(c)];
  for (const p of panel) {
    const row = rows.map((r) => r.split(',')).find((r) => cell(r, 'image_file').endsWith(p.image) && cell(r, 'neuron_name') === truth.document.neurons[0].name)!;
    expect(row, p.image).toBeDefined();
    expect(Number(cell(row, 'sholl_start_um'))).toBe(PROJECT_SHOLL.start);
    expect(Number(cell(row, 'sholl_step_um'))).toBe(PROJECT_SHOLL.step);
    // Panel "Nmax (at radius)" is "N (r)"; "Sum / mean crossings" is "S / m".
    const [nmax, at] = p.nmax.match(/[\d.]+/g)!.map(Number);
    expect(Number(cell(row, 'sholl_nmax'))).toBe(nmax);
    expect(Number(cell(row, 'sholl_nmax_radius_um'))).toBeCloseTo(at, 3);
    expect(Number(cell(row, 'sholl_sum_crossings'))).toBe(Number(p.sum.split('/')[0]));
  }
});

test("outside a project the file's Sholl settings rule", async ({ app }) => {
  const { page } = app;
  const dir = mkdtempSync(join(tmpdir(), 'ramify-sholl-file-'));
  const image = join(dir, 'cells.tif');
  copyFileSync(SAMPLE, image);
  writeFileSync(join(dir, 'cells.ramify.json'), serializeAnnotation(newAnnotationFile(truth.document, { appVersion: '0.0.0-e2e', shollSettings: FILE_SHOLL[1] })));
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  app.dialogAnswers.push(image);
  await app.services.menuActions.open();
  await waitForImage(page, 'cells.tif');
  await expect(page.getByLabel('Sholl start radius')).toHaveValue(String(FILE_SHOLL[1].start));
  await expect(page.getByLabel('Sholl step')).toHaveValue(String(FILE_SHOLL[1].step));
  await expect(page.getByLabel('Sholl end radius')).toHaveValue(String(FILE_SHOLL[1].end));
});
