import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { SECRETS, startWithExperiment, traceOneNeuron } from './experiment';
import { clickImage, debug, expect, test, waitForImage } from './harness';

test('nothing main sends during a blinded session names a file, folder, condition or path-ordered id', async ({ app }) => {
  const folder = await startWithExperiment(app);
  const out = mkdtempSync(join(tmpdir(), 'ramify-blind-export-'));
  const { page } = app;

  // From the moment blinding is on (the unblinded first image fully open), record everything main sends to the page.
  await expect.poll(() => app.ipcLog.some((r) => r.channel === 'annotation:open' && JSON.stringify(r.payload).includes('ket_01'))).toBe(true);
  app.ipcLog.length = 0;
  await page.getByLabel('Blind mode').click();
  await expect(page.getByTestId('project-name')).toHaveText('Blinded project');
  // The image open when blinding starts is shown under its code at once.
  await expect(page.getByTestId('file-name')).toHaveText(/^Image 00\d$/);
  await expect(page).toHaveTitle(/^Image 00\d — Ramify$/);

  // Open (from the list), autosave and save.
  const openNth = async (n: number) => {
    const item = page.getByTestId('project-images').locator('li').nth(n);
    const code = (await item.locator('.name').textContent())!;
    await item.click();
    await waitForImage(page, code);
    await expect.poll(() => debug(page, (d) => d.renderSerial())).toBeGreaterThan(0);
  };
  await openNth(2);
  await traceOneNeuron(app, 120, 150);
  await openNth(4);
  await page.keyboard.press('s');
  await clickImage(page, 150, 150);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(1);
  await expect(page.getByTestId('save-state')).toContainText('recovery copy', { timeout: 5000 });
  await expect.poll(() => debug(page, (d) => d.autosaveSettled())).toBe(true);
  await expect.poll(() => app.ipcLog.some((r) => r.channel === 'annotation:autosave')).toBe(true);
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveTitle(/^•/);

  // An external change of the open image's annotation file: the banner names the image by its code.
  const project = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const code = (await page.getByTestId('file-name').textContent())!;
  const open = project.images.find((i) => project.blinding.key[i.id] === code)!;
  const annotationFile = join(folder, ...open.annotation!.split('/'));
  writeFileSync(annotationFile, readFileSync(annotationFile, 'utf8').replace('"author": ""', '"author": "someone else"'));
  await expect.poll(() => app.ipcLog.some((r) => r.channel === 'annotation:changedOnDisk'), { timeout: 10_000 }).toBe(true);

  // Export.
  await page.getByRole('button', { name: 'Export…' }).click();
  app.dialogAnswers.push(out);
  await page.getByRole('button', { name: 'Choose folder and export…' }).click();
  await expect(page.getByTestId('notice')).toContainText(/Exported \d+ neurons/);
  expect(readdirSync(out)).toContain('neurons.csv');

  // Reopen the blinded project, as a new day would start.
  app.dialogAnswers.push(folder);
  await page.getByRole('button', { name: 'Project ▾' }).click();
  const before = app.ipcLog.length;
  await page.getByRole('menuitem', { name: /Open project/ }).click();
  await expect.poll(() => app.ipcLog.slice(before).map((r) => r.channel)).toEqual(expect.arrayContaining(['project:openDialog', 'annotation:open']));
  await expect(page.getByTestId('project-name')).toHaveText('Blinded project');

  const channels = new Set(app.ipcLog.map((r) => r.channel));
  for (const c of ['project:update', 'project:openImage', 'annotation:open', 'annotation:autosave', 'annotation:save', 'annotation:changedOnDisk', 'project:export', 'project:exportProgress', 'project:openDialog'])
    expect(channels, c).toContain(c);
  const final = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const secrets = [
    ...SECRETS,
    basename(folder),
    ...final.images.flatMap((i) => [i.path, i.id, basename(i.annotation ?? `${i.id}.ramify.json`)]),
    // Ids and annotation names of earlier builds followed path order.
    'img-0',
  ];
  expect(app.ipcLog.filter((r) => JSON.stringify(r.payload).includes('Image 00')).length).toBeGreaterThan(5);
  for (const record of app.ipcLog) {
    const text = JSON.stringify(record.payload);
    for (const s of secrets) expect(text, `${record.kind} ${record.channel} must not contain ${s}`).not.toContain(s);
  }
  // The files themselves carry the truth.
  expect(readFileSync(join(out, 'neurons.csv'), 'utf8')).toMatch(/(vehicle|ketamine)\//);
});
