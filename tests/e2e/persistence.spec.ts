import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createProjectFromFolder, saveProject } from '../../electron/services/project-service';
import { setBlinding } from '../../shared/project/blinding';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnnotationDocument } from '../../shared/model/document';
import { parseAnnotation, serializeAnnotation } from '../../shared/formats/annotation-file';
import { clickImage, connect, debug, expect, SAMPLE, test, traceSomaAndPath, waitForImage, type Harness } from './harness';

const truth = JSON.parse(readFileSync(SAMPLE.replace('.tif', '.truth.json'), 'utf8')) as { document: AnnotationDocument };
const neuron = truth.document.neurons[0];
const soma = neuron.soma as { x: number; y: number };
const b102 = neuron.branches.find((b) => b.id === 102)!.nodes;

/** A writable copy of the sample, so annotations are saved beside it in a temp folder. */
function workingCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ramify-work-'));
  const path = join(dir, 'cells.tif');
  copyFileSync(SAMPLE, path);
  return path;
}

async function openImage(app: Harness, path: string) {
  app.dialogAnswers.push(path);
  await app.services.menuActions.open();
  await waitForImage(app.page, 'cells.tif');
}

const traceSomaAndBranch = (app: Harness) => traceSomaAndPath(app.page, soma, [b102[0], b102[30]]);

test('after a crash the next start names the unsaved image, reopens it and restores the exact tracing', async ({ app, context }) => {
  const image = workingCopy();
  await app.start();
  await waitForImage(app.page, 'sample-neurons.tif');
  await openImage(app, image);
  await traceSomaAndBranch(app);
  await expect(app.page).toHaveTitle('• cells.tif — Ramify');
  // Within ~2 s of the last edit the state is in the recovery journal; never saved, it is called what it is.
  await expect(app.page.getByTestId('save-state')).toContainText('not saved yet · recovery copy', { timeout: 5000 });
  await expect(app.page.getByTestId('save-state')).not.toContainText('autosaved');
  await expect.poll(() => debug(app.page, (d) => d.autosaveSettled()), { timeout: 5000 }).toBe(true);
  const traced = await debug(app.page, (d) => d.doc());
  expect(traced.neurons[0].branches).toHaveLength(1);

  // The window dies without saving: no beforeunload, no flush.
  await app.page.close({ runBeforeUnload: false });
  expect(existsSync(image.replace('.tif', '.ramify.json'))).toBe(false);

  // Start again over the same settings folder: the app says at once what is unsaved and where.
  const again = await connect(await context.newPage(), app.settingsDir);
  await again.start();
  const told = again.page.getByRole('dialog', { name: 'Unsaved work from last time' });
  await expect(told).toContainText('cells.tif');
  await expect(told).toContainText(`(${traced.neurons[0].branches[0].nodes.length} traced nodes)`);
  await told.getByRole('button', { name: 'Reopen' }).click();
  await waitForImage(again.page, 'cells.tif');
  const offer = again.page.getByRole('dialog', { name: 'Restore unsaved work?' });
  await expect(offer).toContainText('cells.tif');
  await offer.getByRole('button', { name: 'Restore' }).click();
  await expect.poll(async () => JSON.stringify(await debug(again.page, (d) => d.doc()))).toBe(JSON.stringify(traced));
  // Restored work is still unsaved work.
  await expect(again.page).toHaveTitle('• cells.tif — Ramify');
  expect(again.dirty).toBe(true);

  // Saved, nothing is left to recover: a third start opens the sample without asking.
  await again.page.keyboard.press('Control+s');
  await expect(again.page).toHaveTitle('cells.tif — Ramify');
  expect(parseAnnotation(readFileSync(image.replace('.tif', '.ramify.json'), 'utf8')).document).toEqual(traced);
  await again.page.close({ runBeforeUnload: false });
  const third = await connect(await context.newPage(), app.settingsDir);
  await third.start();
  await waitForImage(third.page, 'sample-neurons.tif');
  await expect(third.page.getByRole('dialog')).toHaveCount(0);
});

test('saving writes the annotation file; a change on disk is never overwritten without asking', async ({ app }) => {
  const image = workingCopy();
  const saved = image.replace('.tif', '.ramify.json');
  await app.start();
  await waitForImage(app.page, 'sample-neurons.tif');
  await openImage(app, image);
  await traceSomaAndBranch(app);
  const { page } = app;

  await page.keyboard.press('Control+s');
  await expect(page).toHaveTitle('cells.tif — Ramify');
  const onDisk = parseAnnotation(readFileSync(saved, 'utf8'));
  expect(onDisk.document).toEqual(await debug(page, (d) => d.doc()));
  expect(onDisk.image?.fileName).toBe('cells.tif');
  // Calibration is stored once, at the top of the file (the sample's ImageJ resolution is the rational 1/0.325).
  const stored = JSON.parse(readFileSync(saved, 'utf8')) as { calibration: { pixelWidth: number; source: string } };
  expect(stored.calibration.pixelWidth).toBeCloseTo(0.325, 7);
  expect(stored.calibration.source).toBe('imagej');
  expect(onDisk.document.calibration).toEqual(stored.calibration);

  // Another program rewrites the file while nothing is unsaved here: the app takes the new version.
  const rename = (name: string) =>
    serializeAnnotation({ ...onDisk, document: { ...onDisk.document, neurons: onDisk.document.neurons.map((n) => ({ ...n, name })) } });
  writeFileSync(saved, rename('Edited elsewhere'));
  await expect(page.getByLabel('Neurons').getByText('Edited elsewhere')).toBeVisible();
  await expect(page).toHaveTitle('cells.tif — Ramify');

  // With unsaved work here, an outside change is announced, not applied.
  await page.keyboard.press('n');
  await expect(page).toHaveTitle('• cells.tif — Ramify');
  // Once the file exists, the journal of later edits is an autosave beside a real save.
  await expect(page.getByTestId('save-state')).toContainText(/saved .* · autosaved /, { timeout: 5000 });
  await expect(page.getByTestId('save-state')).not.toContainText('recovery copy');
  const theirs = rename('Edited elsewhere again');
  writeFileSync(saved, theirs);
  await expect(page.getByTestId('external-change')).toBeVisible();
  await page.getByTestId('external-change').getByRole('button', { name: 'Keep mine' }).click();

  // Ctrl+S asks instead of overwriting; Cancel leaves their file untouched.
  await page.keyboard.press('Control+s');
  const conflict = page.getByRole('dialog', { name: 'The file changed on disk' });
  await expect(conflict).toBeVisible();
  await conflict.getByRole('button', { name: 'Cancel' }).click();
  expect(readFileSync(saved, 'utf8')).toBe(theirs);
  await expect(page).toHaveTitle('• cells.tif — Ramify');

  // Asked again, the user overwrites: ours is on disk, theirs kept as the backup.
  await page.keyboard.press('Control+s');
  await page.getByRole('dialog', { name: 'The file changed on disk' }).getByRole('button', { name: 'Overwrite' }).click();
  await expect(page).toHaveTitle('cells.tif — Ramify');
  expect(parseAnnotation(readFileSync(saved, 'utf8')).document.neurons).toHaveLength(2);
  expect(readFileSync(`${saved}.bak`, 'utf8')).toBe(theirs);

  // Reopening the image loads what was saved.
  await page.keyboard.press('Control+w');
  await openImage(app, image);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(2);
});

test('saving the bundled sample asks where to save, never writes into the app, and keeps the sample in Recent', async ({ app }) => {
  const { page } = app;
  const sampleSibling = SAMPLE.replace('.tif', '.ramify.json');
  const before = existsSync(sampleSibling);
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  await expect(page).toHaveTitle('• sample-neurons.tif — Ramify');

  // Cancelled Save As: nothing written anywhere, no error, still unsaved.
  app.dialogAnswers.push(null);
  await page.keyboard.press('Control+s');
  // The dialog answered before the next save: one still in progress ignores another Control+S (under load the second
  // press could land there, and the chosen path below was never asked for).
  await expect.poll(() => app.dialogAnswers.length).toBe(0);
  await expect(page).toHaveTitle('• sample-neurons.tif — Ramify');
  await expect(page.getByRole('alert')).toHaveCount(0);
  expect(existsSync(sampleSibling)).toBe(before);

  // Chosen: the tracing is where the user said, the app's folder untouched, the sample listed in Recent.
  const target = join(mkdtempSync(join(tmpdir(), 'ramify-sample-save-')), 'my-first-tracing.ramify.json');
  app.dialogAnswers.push(target);
  await page.keyboard.press('Control+s');
  await expect(page).toHaveTitle('sample-neurons.tif — Ramify');
  expect(parseAnnotation(readFileSync(target, 'utf8')).document).toEqual(await debug(page, (d) => d.doc()));
  expect(existsSync(sampleSibling)).toBe(before);
  await expect(page.getByTestId('save-state')).toContainText('my-first-tracing.ramify.json');
  expect(app.services.recent.list().map((r) => r.name)).toContain('sample-neurons.tif');

  // The next save goes to the same file without asking again; reopening the sample from Recent finds the tracing.
  await page.keyboard.press('n');
  await page.keyboard.press('Control+s');
  await expect(page).toHaveTitle('sample-neurons.tif — Ramify');
  expect(parseAnnotation(readFileSync(target, 'utf8')).document.neurons).toHaveLength(2);
  await page.keyboard.press('Control+w');
  await app.services.menuActions.openRecent(app.services.recent.list().find((r) => r.name === 'sample-neurons.tif')!.id);
  await waitForImage(page, 'sample-neurons.tif');
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(2);
});

test('unsaved work in a blinded project is named by its code at the next start, and reopens inside its project', async ({ app, context }) => {
  const folder = mkdtempSync(join(tmpdir(), 'ramify-recover-project-'));
  mkdirSync(join(folder, 'ketamine'));
  copyFileSync(SAMPLE, join(folder, 'ketamine', 'ket_01.tif'));
  const { project } = await createProjectFromFolder(folder, { conditions: 'subfolder' });
  await saveProject(folder, setBlinding(project, true, 7));
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  app.dialogAnswers.push(folder);
  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByTestId('file-name')).toHaveText(/^Image \d+$/);
  const code = (await page.getByTestId('file-name').textContent())!;
  await expect(page.getByTestId('project-name')).toHaveText('Blinded project');
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  await expect(page.getByTestId('save-state')).toContainText('recovery copy', { timeout: 5000 });
  await expect.poll(() => debug(page, (d) => d.autosaveSettled()), { timeout: 5000 }).toBe(true);
  const traced = await debug(page, (d) => d.doc());
  await page.close({ runBeforeUnload: false });

  const again = await connect(await context.newPage(), app.settingsDir);
  await again.start();
  const told = again.page.getByRole('dialog', { name: 'Unsaved work from last time' });
  await expect(told).toContainText(`${code} (project Blinded project)`);
  for (const secret of ['ket', 'ketamine', '.tif']) expect(await told.innerText()).not.toContain(secret);
  await told.getByRole('button', { name: 'Reopen' }).click();
  await expect(again.page.getByTestId('file-name')).toHaveText(code);
  await expect(again.page.getByTestId('project-name')).toHaveText('Blinded project');
  await again.page.getByRole('dialog', { name: 'Restore unsaved work?' }).getByRole('button', { name: 'Restore' }).click();
  await expect.poll(async () => JSON.stringify(await debug(again.page, (d) => d.doc()))).toBe(JSON.stringify(traced));
  await expect(again.page.getByTestId('project-images').locator('li.current')).toHaveCount(1);
});
