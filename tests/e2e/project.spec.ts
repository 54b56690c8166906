import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticNeurons } from '../../build/tools/synthetic-neuron';
import { measureDocument } from '../../shared/analysis';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { imagejDescription } from '../../shared/image/imagej';
import { clickImage, debug, expect, test, waitForImage, type Harness } from './harness';

/** Six small calibrated two-channel micrographs, three per condition, in condition subfolders. */
function experimentFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'ramify-experiment-'));
  const make = (dir: string, prefix: string, seed: number) => {
    mkdirSync(join(root, dir), { recursive: true });
    for (let i = 1; i <= 3; i++) {
      const s = syntheticNeurons({ seed: seed + i, width: 384, height: 384, neurons: 1 });
      const tiff = encodeTiff({
        width: s.width,
        height: s.height,
        planes: s.channels,
        bitsPerSample: 16,
        sampleFormat: 'uint',
        compression: 'deflate',
        imagejDescription: imagejDescription({ channels: 2, unit: 'micron', pixelWidth: 0.5 }),
        resolution: { x: 2, y: 2, unit: 'none' },
      });
      writeFileSync(join(root, dir, `${prefix}_0${i}.tif`), tiff);
    }
  };
  make('vehicle', 'veh', 100);
  make('ketamine', 'ket', 200);
  return root;
}

const SECRETS = ['veh_', 'ket_', 'vehicle', 'ketamine', '.tif'];

async function traceOneNeuron(app: Harness, x: number, y: number) {
  const { page } = app;
  await page.keyboard.press('s');
  await clickImage(page, x, y);
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
  await clickImage(page, x + 4, y);
  await clickImage(page, x + 60, y + 10, { shift: true });
  await clickImage(page, x + 90, y + 40, { shift: true });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveTitle(/^•/);
}

test('a blinded project: create from folders, trace two images, export with the true conditions', async ({ app }) => {
  const folder = experimentFolder();
  const out = mkdtempSync(join(tmpdir(), 'ramify-export-'));
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');

  // New project from the folder; conditions from subfolder names.
  app.dialogAnswers.push(folder);
  await page.getByRole('button', { name: 'Project ▾' }).click();
  await page.getByRole('menuitem', { name: 'New project from folder…' }).click();
  await expect(page.getByTestId('new-project-folder')).toHaveText(/6 images in 2 subfolders/);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-images').locator('li')).toHaveCount(6);
  await expect(page.getByTestId('project-progress')).toContainText('vehicle');
  await expect(page.getByTestId('project-progress')).toContainText('ketamine');
  await waitForImage(page, 'ket_01.tif');
  // Every image gets a preview in the list.
  await expect
    .poll(() => page.getByTestId('project-images').locator('img.thumb').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth === 96).length), { timeout: 20_000 })
    .toBe(6);

  // Blind mode: coded names in a shuffled order, no file name or condition anywhere on screen.
  await page.getByLabel('Blind mode').click();
  await expect(page.getByLabel('Blind mode')).toBeChecked();
  await expect(page.getByTestId('project-name')).toHaveText('Blinded project');
  const names = await page.getByTestId('project-images').locator('.name').allTextContents();
  expect(names.sort()).toEqual(['Image 001', 'Image 002', 'Image 003', 'Image 004', 'Image 005', 'Image 006']);
  await page.getByTestId('project-images').locator('li').first().click();
  await expect(page.getByTestId('file-name')).toHaveText(/^Image 00\d$/);
  const screenText = async () => `${await page.locator('body').innerText()} ${await page.title()} ${app.title()}`;
  for (const s of SECRETS) expect(await screenText()).not.toContain(s);
  await page.getByRole('button', { name: 'Recent ▾' }).click();
  await expect(page.getByRole('menu')).toContainText('No recent files');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Metadata…' }).click();
  for (const s of SECRETS) expect(await screenText()).not.toContain(s);
  await page.getByRole('dialog', { name: 'Image metadata' }).getByRole('button', { name: 'Done' }).click();

  // Trace one neuron in each of two images, saving each.
  await traceOneNeuron(app, 120, 150);
  await page.keyboard.press('PageDown');
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(0);
  await traceOneNeuron(app, 100, 220);
  await expect(page.getByTestId('project-progress')).toContainText('All images');
  await expect(page.getByTestId('project-progress').locator('tbody tr td').nth(2)).toHaveText('2');
  for (const s of SECRETS) expect(await screenText()).not.toContain(s);

  // Export: every file written, with the true conditions.
  await page.getByRole('button', { name: 'Export…' }).click();
  app.dialogAnswers.push(out);
  await page.getByRole('button', { name: 'Choose folder and export…' }).click();
  await expect(page.getByTestId('notice')).toContainText('Exported 2 neurons from 2 images');
  const files = readdirSync(out).sort();
  for (const f of ['neurons.csv', 'sholl.csv', 'branches.csv', 'prism-sholl-xy.csv', 'prism-nmax-columns.csv', 'prism-summary.csv']) expect(files).toContain(f);
  expect(files.some((f) => f.startsWith('data-dictionary'))).toBe(true);
  expect(files).toContain('read_ramify.R');
  const [header, ...rows] = readFileSync(join(out, 'neurons.csv'), 'utf8').trim().split(/\r?\n/);
  const cols = header.split(',');
  expect(rows).toHaveLength(2);
  for (const row of rows) {
    const cells = row.split(',');
    const file = cells[cols.indexOf('image_file')];
    const condition = cells[cols.indexOf('condition')];
    expect(file).toMatch(/^(vehicle\/veh|ketamine\/ket)_0\d\.tif$/);
    expect(condition).toBe(file.split('/')[0]);
    expect(Number(cells[cols.indexOf('primary_branches')])).toBe(1);
    expect(Number(cells[cols.indexOf('tips')])).toBe(1);
    // The exported length is what the analysis gives for the annotation file saved in the project (µm at 0.5 µm/px).
    const saved = parseAnnotation(readFileSync(join(folder, 'annotations', `${cells[cols.indexOf('image_id')]}.ramify.json`), 'utf8'));
    const [m] = measureDocument(saved.document);
    expect(Number(cells[cols.indexOf('total_length_um')])).toBeCloseTo(m.morphometrics.totalLength, 6);
    expect(m.morphometrics.totalLength).toBeGreaterThan(0.5 * (Math.hypot(56, 10) + Math.hypot(30, 30)) - 3);
  }
  const sholl = readFileSync(join(out, 'sholl.csv'), 'utf8').trim().split(/\r?\n/);
  expect(sholl[0]).toContain('radius_um');
  expect(sholl.length).toBeGreaterThan(2);
});
