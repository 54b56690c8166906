import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureDocument } from '../../shared/analysis';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { decodeImage } from '../../shared/image/decode';
import { annotationOf, SECRETS, startWithExperiment, traceOneNeuron } from './experiment';
import { mainWindowOptions } from '../../electron/window-options';
import { debug, expect, FIXTURES, test, waitForImage } from './harness';
import { plateMergeReport } from '../fixtures/tiff/metaseries/plate-report';

test('a blinded project: create from folders, trace two images, export with the true conditions', async ({ app }) => {
  // New project from the folder; conditions from subfolder names.
  const folder = await startWithExperiment(app);
  const out = mkdtempSync(join(tmpdir(), 'ramify-export-'));
  const { page } = app;
  await expect(page.getByTestId('project-progress')).toContainText('vehicle');
  await expect(page.getByTestId('project-progress')).toContainText('ketamine');
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
  await expect(page.getByTestId('project-progress').locator('tbody tr td').nth(3)).toHaveText('2');
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
    const saved = parseAnnotation(readFileSync(annotationOf(folder, cells[cols.indexOf('image_id')]), 'utf8'));
    const [m] = measureDocument(saved.document);
    expect(Number(cells[cols.indexOf('total_length_um')])).toBeCloseTo(m.morphometrics.totalLength, 6);
    expect(m.morphometrics.totalLength).toBeGreaterThan(0.5 * (Math.hypot(56, 10) + Math.hypot(30, 30)) - 3);
  }
  const sholl = readFileSync(join(out, 'sholl.csv'), 'utf8').trim().split(/\r?\n/);
  expect(sholl[0]).toContain('radius_um');
  expect(sholl.length).toBeGreaterThan(2);
});

test("a project in the window at its smallest: the image list shows four images whole, the project's controls scroll above it", async ({ app }) => {
  const { page } = app;
  const { minWidth, minHeight } = mainWindowOptions('');
  await page.setViewportSize({ width: minWidth!, height: minHeight! });
  await startWithExperiment(app);
  const list = (await page.getByTestId('project-images').boundingBox())!;
  const rows = page.getByTestId('project-images').locator('li');
  const whole: number[] = [];
  for (let i = 0; i < 6; i++) {
    const box = (await rows.nth(i).boundingBox())!;
    if (box.y >= list.y && box.y + box.height <= list.y + list.height) whole.push(i);
  }
  // Until now the controls took the column and the list showed one image, its second cut.
  expect(whole.length).toBeGreaterThanOrEqual(4);
  expect(list.y + list.height).toBeLessThanOrEqual(minHeight!);
  const controls = page.getByRole('complementary', { name: 'Project' }).locator('.panel');
  expect(await controls.evaluate((e) => e.scrollHeight > e.clientHeight)).toBe(true);
  // Its last control is reached by scrolling the controls.
  await page.getByRole('button', { name: 'Auto-trace all images' }).scrollIntoViewIfNeeded();
  await expect(page.getByRole('button', { name: 'Auto-trace all images' })).toBeInViewport();
  await page.screenshot({ path: 'test-results/project-smallest-window.png' });
});

test('an ImageXpress plate (a file per wavelength): the New project dialog merges each site into one image, and the project is made of those', async ({ app }) => {
  const { page } = app;
  // tests/fixtures/tiff/metaseries/make-plate.py: A01 sites 1 and 2 (FITC 488, DAPI & Hoechst, and a w3 on site 2), B01
  // with one wavelength, B02 with its wavelengths of two sizes.
  const work = mkdtempSync(join(tmpdir(), 'ramify-plate-'));
  const plate = join(work, 'plate');
  cpSync(join(FIXTURES, 'tiff/metaseries/plate'), plate, { recursive: true });
  const merged = join(work, 'merged');
  const source = join(plate, 'TimePoint_1/Plate1_A01_s2_w1.tif');
  const sourceBefore = statSync(source).mtimeMs;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  app.dialogAnswers.push(plate);
  await page.getByRole('button', { name: 'Project ▾' }).click();
  await page.getByRole('menuitem', { name: 'New project from folder…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await expect(page.getByTestId('new-project-folder')).toHaveText('plate: 8 images in 1 subfolder');
  await expect(dialog).toContainText('7 files are the wavelengths of 3 ImageXpress sites (w1, w2, w3), one file each: each becomes an image of its own');
  await expect(dialog).toContainText('merge them first (Merge wavelengths… below)');
  await page.mouse.move(5, 5);
  await page.screenshot({ path: test.info().outputPath('plate-chosen.png') });

  // The folder for the merged images is asked for; the merge then reports each site, and the dialog takes that folder.
  app.dialogAnswers.push(merged);
  await dialog.getByRole('button', { name: 'Merge wavelengths…' }).click();
  await expect(page.getByTestId('merge-report')).toHaveText(plateMergeReport('merged').join('\n'));
  await expect(page.getByTestId('new-project-folder')).toHaveText('merged: 2 images in 1 subfolder');
  await expect(dialog.getByRole('button', { name: 'Merge wavelengths…' })).toHaveCount(0);
  expect(readdirSync(join(merged, 'TimePoint_1')).sort()).toEqual(['Plate1_A01_s1.tif', 'Plate1_A01_s2.tif']);
  // The plate is only read.
  expect(statSync(source).mtimeMs).toBe(sourceBefore);
  await page.mouse.move(5, 5);
  await page.screenshot({ path: test.info().outputPath('plate-merged.png') });

  // TimePoint_1 is the imager's folder, no condition: nothing is chosen for the conditions until told.
  await expect(dialog.getByLabel('Set them later in the metadata table')).toBeChecked();
  // The conditions from the plate's map: both sites of A01 are vehicle, the well kept as a column.
  const map = join(work, 'plate-map.csv');
  writeFileSync(map, 'well,condition\nA1,vehicle\nA02,ketamine\n');
  app.dialogAnswers.push(map);
  await dialog.getByLabel('A CSV mapping (file or well, condition, …)').check();
  await dialog.getByRole('button', { name: 'Choose CSV…' }).click();
  await dialog.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-images').locator('li')).toHaveCount(2);
  const made = JSON.parse(readFileSync(join(merged, 'ramify-project.json'), 'utf8')) as { images: Array<{ path: string; metadata: Record<string, string> }> };
  expect(made.images.map((i) => [i.path, i.metadata])).toEqual([
    ['TimePoint_1/Plate1_A01_s1.tif', { condition: 'vehicle', well: 'A01' }],
    ['TimePoint_1/Plate1_A01_s2.tif', { condition: 'vehicle', well: 'A01' }],
  ]);
  // The project's first image opens; nobody chose the channels before the project was made: its names do, and the
  // project keeps that choice.
  await waitForImage(page, 'Plate1_A01_s1.tif');
  await expect(page.getByTestId('notice').locator('span')).toContainText('Channels chosen by their names: tracing follows channel 1 (FITC 488), cell bodies on the nuclei of channel 2 (DAPI & Hoechst).');
  await expect(page.getByLabel('Tracing channel')).toHaveValue('0');
  await expect.poll(() => (JSON.parse(readFileSync(join(merged, 'ramify-project.json'), 'utf8')) as { tracing?: unknown }).tracing).toEqual({ channel: 0, nucleusChannel: 1, minBranchUm: 5 });
  await page.getByTestId('project-images').locator('li').first().click();
  await waitForImage(page, 'Plate1_A01_s1.tif');
  await expect(page.getByTestId('channel-1').locator('strong')).toHaveText('1 · FITC 488');
  await expect(page.getByTestId('channel-2').locator('strong')).toHaveText('2 · DAPI & Hoechst');
  await expect(page.getByTestId('status-image')).toContainText('64×48 · 16-bit uint · 2 ch');
});

test('Merge wavelengths stopped midway: the sites merged so far stay whole, the dialog says so and keeps the plate', async ({ app }) => {
  const { page } = app;
  // 60 sites of two 1024² wavelengths: long enough to stop.
  const work = mkdtempSync(join(tmpdir(), 'ramify-plate-stop-'));
  const plate = join(work, 'plate');
  mkdirSync(plate);
  const description = (illum: string) => `<MetaData><PlaneInfo><prop id="_IllumSetting_" type="string" value="${illum}"/></PlaneInfo></MetaData>`;
  const plane = new Uint16Array(1024 * 1024).map((_, i) => (i * 7919) % 4096);
  for (let site = 1; site <= 60; site++) {
    for (const [w, illum] of [[1, 'FITC'], [2, 'DAPI']] as const) {
      writeFileSync(join(plate, `P1_B02_s${site}_w${w}.tif`), encodeTiff({ width: 1024, height: 1024, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', imagejDescription: description(illum) }));
    }
  }
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  app.dialogAnswers.push(plate, join(work, 'merged'));
  await page.getByRole('button', { name: 'Project ▾' }).click();
  await page.getByRole('menuitem', { name: 'New project from folder…' }).click();
  const dialog = page.getByRole('dialog', { name: 'New project' });
  await dialog.getByRole('button', { name: 'Merge wavelengths…' }).click();
  const progress = dialog.getByRole('progressbar', { name: 'Merging wavelengths' });
  await expect.poll(async () => Number(await progress.getAttribute('value'))).toBeGreaterThanOrEqual(1);
  // While it runs, nothing else can be chosen or created: the folder it ends on is the merged one.
  await expect(dialog.getByRole('button', { name: 'Create project' })).toBeDisabled();
  await expect(dialog.getByRole('button', { name: 'Choose folder…' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Stop' }).click();
  const report = page.getByTestId('merge-report');
  await expect(report).toHaveText(/^Merging stopped after \d+ sites?; the images written stay in .*merged\.$/);
  const stopped = Number(/after (\d+)/.exec((await report.textContent())!)![1]);
  expect(stopped).toBeLessThan(60);
  // Each merged image written is whole: two channels of the plate's values.
  const written = readdirSync(join(work, 'merged')).filter((f) => f.endsWith('.tif'));
  expect(written).toHaveLength(stopped);
  const one = decodeImage(new Uint8Array(readFileSync(join(work, 'merged', written[0]))));
  expect(one.info.channelNames).toEqual(['FITC', 'DAPI']);
  expect(Array.from(one.planes[1].subarray(0, 5))).toEqual([0, 7919 % 4096, (2 * 7919) % 4096, (3 * 7919) % 4096, (4 * 7919) % 4096]);
  // The dialog still holds the plate, and its button merges the rest when asked again.
  await expect(page.getByTestId('new-project-folder')).toHaveText('plate: 120 images');
  await expect(dialog.getByRole('button', { name: 'Merge wavelengths…' })).toBeEnabled();
});
