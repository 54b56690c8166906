import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticNeurons } from '../../build/tools/synthetic-neuron';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { syntheticTiff } from '../fixtures/project/make-gallery-project';
import { clickImage, debug, expect, waitForImage, type Harness } from './harness';

/** Six small calibrated two-channel micrographs, three per condition, in condition subfolders. */
export function experimentFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'ramify-experiment-'));
  const make = (dir: string, prefix: string, seed: number) => {
    mkdirSync(join(root, dir), { recursive: true });
    for (let i = 1; i <= 3; i++) {
      const s = syntheticNeurons({ seed: seed + i, width: 384, height: 384, neurons: 1 });
      const tiff = syntheticTiff(s, 0.5);
      writeFileSync(join(root, dir, `${prefix}_0${i}.tif`), tiff);
    }
  };
  make('vehicle', 'veh', 100);
  make('ketamine', 'ket', 200);
  return root;
}

/** Strings that name an image's file, folder or condition in experimentFolder(). */
export const SECRETS = ['veh_', 'ket_', 'vehicle', 'ketamine', '.tif'];

/** Soma, one traced branch (through `bends`, offsets from the soma), Ctrl+S; waits until saved. */
export async function traceOneNeuron(app: Harness, x: number, y: number, bends: Array<[number, number]> = [[60, 10], [90, 40]]) {
  const { page } = app;
  const tools = page.getByRole('toolbar', { name: 'Tools' });
  const neurons = () => debug(page, (d) => d.doc().neurons.length);
  // The image shown and fitted first: a click mapped through the view of an image still decoding (a loaded machine)
  // lands elsewhere once it is fitted.
  await expect(page.getByTestId('status-image')).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  const before = await neurons();
  // Each key's tool is on before the next click: on a loaded machine a click can otherwise reach the previous tool.
  await page.keyboard.press('s');
  await expect(tools.getByRole('button', { name: 'Soma', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await clickImage(page, x, y);
  await expect.poll(neurons).toBe(before + 1);
  await page.keyboard.press('t');
  await expect(tools.getByRole('button', { name: 'Trace', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
  await clickImage(page, x + 4, y);
  for (const [dx, dy] of bends) await clickImage(page, x + dx, y + dy, { shift: true });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveTitle(/^•/);
}

/** Absolute path of an image's annotation file, as the project file records it. */
export function annotationOf(folder: string, imageId: string): string {
  const project = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const rel = project.images.find((i) => i.id === imageId)?.annotation;
  if (!rel) throw new Error(`${imageId} has no annotation file`);
  return join(folder, ...rel.split('/'));
}

/** Starts the app and makes a project (conditions from subfolders) of a fresh experimentFolder(); returns the folder. */
export async function startWithExperiment(app: Harness): Promise<string> {
  const folder = experimentFolder();
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  app.dialogAnswers.push(folder);
  await page.getByRole('button', { name: 'Project ▾' }).click();
  await page.getByRole('menuitem', { name: 'New project from folder…' }).click();
  await expect(page.getByTestId('new-project-folder')).toHaveText(/6 images in 2 subfolders/);
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-images').locator('li')).toHaveCount(6);
  await waitForImage(page, 'ket_01.tif');
  return folder;
}

/** Project ▸ Open project… on a folder (answering the folder dialog); waits until its images are listed. */
export async function openProjectFolder(app: Harness, folder: string, images: number): Promise<void> {
  const { page } = app;
  app.dialogAnswers.push(folder);
  await page.getByRole('button', { name: 'Project ▾' }).click();
  await page.getByRole('menuitem', { name: 'Open project…' }).click();
  await expect(page.getByTestId('project-images').locator('li')).toHaveCount(images);
}
