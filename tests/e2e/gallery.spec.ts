import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAnnotation, serializeAnnotation } from '../../shared/formats/annotation-file';
import { parseCsv } from '../../shared/project/csv-parse';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { makeGalleryProject } from '../fixtures/project/make-gallery-project';
import { annotationOf, openProjectFolder } from './experiment';
import type { Locator } from '@playwright/test';
import { clickImage, debug, expect, test, waitForImage, type Harness } from './harness';

/** The gallery fixture opened as a project, in a window with room for all 16 tiles at once (the grid only puts the rows in view into the page). */
async function startGalleryProject(app: Harness): Promise<string> {
  const folder = await makeGalleryProject();
  await app.page.setViewportSize({ width: 1600, height: 1200 });
  await app.start();
  await waitForImage(app.page, 'sample-neurons.tif');
  await openProjectFolder(app, folder, 8);
  await waitForImage(app.page, 'ctl_1.tif');
  return folder;
}

/** The numbers to compare with: the project's neurons.csv, written by Export now. */
async function exportNeurons(app: Harness) {
  const { page } = app;
  const out = mkdtempSync(join(tmpdir(), 'ramify-gallery-export-'));
  await page.getByRole('button', { name: 'Export…' }).click();
  app.dialogAnswers.push(out);
  await page.getByRole('button', { name: 'Choose folder and export…' }).click();
  await expect(page.getByTestId('notice')).toContainText('Exported 16 neurons from 8 images');
  const [header, ...rows] = parseCsv(readFileSync(join(out, 'neurons.csv'), 'utf8'));
  return { rows, cell: (r: string[], c: string) => r[header.indexOf(c)] };
}

/** Long side of each loaded thumbnail image in px. */
const thumbSizes = (imgs: Locator) => imgs.evaluateAll((list) => list.map((i) => Math.max((i as HTMLImageElement).naturalWidth, (i as HTMLImageElement).naturalHeight)));

/*
 * The gallery on the gallery fixture (tests/fixtures/project/make-gallery-project.ts): 8 synthetic micrographs in
 * control/ and treated/, two neurons each traced with their ground truth, one with ten spurious branches (14 tips
 * against a control median of 5: robust z = 9 / 1.4826 = +6.1, the only flag).
 */
test('Gallery: tiles with crops and counts equal to neurons.csv, sort, filter, outlier flag, click opens the neuron, blind mode', async ({ app }) => {
  const { page } = app;
  await startGalleryProject(app);
  const { rows, cell } = await exportNeurons(app);

  await page.getByRole('button', { name: 'Gallery…' }).click();
  const panel = page.getByTestId('gallery-panel');
  const tiles = panel.getByTestId('gallery-tile');
  await expect(tiles).toHaveCount(16);
  await expect(panel.getByTestId('gallery-count')).toHaveText('16 of 16 neurons · 1 flagged');
  // Every thumbnail arrives (rendered in main's worker, then served from the cache folder), 160 px on its long side.
  await expect.poll(() => thumbSizes(tiles.locator('img')), { timeout: 60_000 }).toEqual(Array(16).fill(160));
  await expect(panel.getByTestId('gallery-progress')).toHaveCount(0);

  // Each tile's counts are its neurons.csv row's.
  for (const r of rows) {
    const name = cell(r, 'image_file').split('/')[1];
    const tile = tiles.filter({ hasText: `${name} · ${cell(r, 'neuron_name')}` });
    await expect(tile).toHaveCount(1);
    const expected = `P ${cell(r, 'primary_branches')} BP ${cell(r, 'branch_points')} T ${cell(r, 'tips')} ${Number(cell(r, 'total_length_um')).toFixed(1)} µm Nmax ${cell(r, 'sholl_nmax')}`;
    await expect(tile.getByTestId('gallery-counts')).toHaveText(expected);
    await expect(tile).toContainText(cell(r, 'condition'));
  }
  await page.screenshot({ path: 'test-results/gallery.png' });

  // Sort by tips, most first: the over-traced neuron (14 tips) leads; then the next largest count in the CSV.
  await panel.getByLabel('Sort by').selectOption('tips');
  await panel.getByLabel('Descending').check();
  const tipsByCsv = rows.map((r) => Number(cell(r, 'tips'))).sort((a, b) => b - a);
  await expect(tiles.first().getByTestId('gallery-counts')).toContainText(`T ${tipsByCsv[0]} `);
  await expect(tiles.nth(1).getByTestId('gallery-counts')).toContainText(`T ${tipsByCsv[1]} `);
  await expect(tiles.first()).toContainText('ctl_2.tif');

  // Filter: one condition, then a range on total length, then flagged only.
  await panel.getByLabel('Condition filter').selectOption('treated');
  await expect(tiles).toHaveCount(8);
  for (const t of await tiles.all()) await expect(t).toContainText('treated');
  await panel.getByLabel('Condition filter').selectOption('');
  await panel.getByLabel('Filter column').selectOption('total_length_um');
  await panel.getByLabel('Minimum').fill('250');
  const over250 = rows.filter((r) => Number(cell(r, 'total_length_um')) >= 250).length;
  await expect(tiles).toHaveCount(over250);
  await panel.getByLabel('Minimum').fill('');
  await panel.getByLabel('Filter column').selectOption('');
  await panel.getByLabel('Flagged only').check();
  await expect(tiles).toHaveCount(1);
  const flagged = tiles.first();
  await expect(flagged.getByTestId('gallery-flag')).toHaveText('⚠ tips z = +6.1 (median 5)');
  await expect(flagged).toContainText('ctl_2.tif');
  await page.screenshot({ path: 'test-results/gallery-flagged.png' });

  // A click opens that image with that neuron selected and centred.
  const key = (await flagged.getAttribute('data-key'))!;
  await flagged.click();
  await expect(panel).toHaveCount(0);
  await waitForImage(page, 'ctl_2.tif');
  const neuronId = Number(key.split(':').pop());
  await expect.poll(() => debug(page, (d) => d.selection())).toEqual({ kind: 'neuron', neuronId });
  const { soma, camera } = await debug(page, (d) => {
    const s = d.selection() as { neuronId?: number } | null;
    return { soma: d.doc().neurons.find((n) => n.id === s?.neuronId)?.soma, camera: d.camera() };
  });
  const box = await page.locator('.canvas-area').boundingBox();
  // The soma sits near the middle of the view (the crop is centred; the spurious branches are symmetric about it).
  const sx = (soma as { x: number }).x * camera.scale + camera.x;
  const sy = (soma as { y: number }).y * camera.scale + camera.y;
  expect(Math.abs(sx - box!.width / 2)).toBeLessThan(box!.width * 0.1);
  expect(Math.abs(sy - box!.height / 2)).toBeLessThan(box!.height * 0.1);
  expect(camera.scale).toBeGreaterThan(1);
  await page.screenshot({ path: 'test-results/gallery-opened-neuron.png' });

  // Blind mode: coded names, no condition anywhere in the gallery, no condition filter.
  await page.getByLabel('Blind mode').click();
  await expect(page.getByTestId('project-name')).toHaveText('Blinded project');
  await page.getByRole('button', { name: 'Gallery…' }).click();
  await expect(tiles.first()).toBeVisible();
  await panel.getByLabel('Flagged only').uncheck();
  await expect(tiles).toHaveCount(16);
  const text = await panel.innerText();
  for (const secret of ['control', 'treated', 'ctl_', 'trt_', '.tif']) expect(text).not.toContain(secret);
  await expect(panel.getByLabel('Condition filter')).toHaveCount(0);
  await expect(tiles.first()).toContainText(/Image 00\d/);
  await expect(panel.getByTestId('gallery-count')).toHaveText('16 of 16 neurons · 1 flagged');
  await page.screenshot({ path: 'test-results/gallery-blind.png' });
});

/*
 * The gallery follows saves. By hand: deleting one of the ten spurious 40 px branches of ctl_2's second neuron
 * leaves 13 tips (14 − 1), against the same control median of 5 and MAD 1.4826: z = 8 / 1.4826 = +5.4.
 */
test('Gallery follows saves: a neuron fixed in the viewer shows its new counts, thumbnail and flag on going back; a rename saved while it is shown, and a change on disk by another program, appear at once', async ({ app }) => {
  const { page } = app;
  const folder = await startGalleryProject(app);
  await page.getByRole('button', { name: 'Gallery…' }).click();
  const panel = page.getByTestId('gallery-panel');
  const tiles = panel.getByTestId('gallery-tile');
  await expect(tiles).toHaveCount(16);
  await expect.poll(() => thumbSizes(tiles.locator('img')), { timeout: 60_000 }).toEqual(Array(16).fill(160));
  const flagged = tiles.filter({ has: page.getByTestId('gallery-flag') });
  await expect(flagged).toHaveCount(1);
  const key = (await flagged.getAttribute('data-key'))!;
  const tile = panel.locator(`[data-key="${key}"]`);
  await expect(tile.getByTestId('gallery-counts')).toContainText('T 14 ');
  const oldThumb = await tile.locator('img').getAttribute('src');
  const neuronName = (await tile.locator('.gallery-name').innerText()).split(' · ')[1];

  // The PI opens the flagged neuron, deletes one of its straight spurious branches (from the soma, two nodes), saves.
  await tile.click();
  await expect(panel).toHaveCount(0);
  await waitForImage(page, 'ctl_2.tif');
  await expect.poll(() => debug(page, (d) => (d.selection() as { kind?: string } | null)?.kind)).toBe('neuron');
  const spurious = await debug(page, (d) => {
    const s = d.selection() as { neuronId: number };
    const b = d.doc().neurons.find((n) => n.id === s.neuronId)!.branches.find((x) => x.parent.kind === 'soma' && x.nodes.length === 2)!;
    return { id: b.id, x: (b.nodes[0].x + b.nodes[1].x) / 2, y: (b.nodes[0].y + b.nodes[1].y) / 2 };
  });
  await page.keyboard.press('e');
  await clickImage(page, spurious.x, spurious.y);
  await expect.poll(() => debug(page, (d) => d.selection())).toEqual({ kind: 'branch', branchId: spurious.id });
  await page.keyboard.press('Delete');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveTitle(/^•/);

  const { rows, cell } = await exportNeurons(app);
  const row = rows.find((r) => cell(r, 'image_file') === 'control/ctl_2.tif' && cell(r, 'neuron_name') === neuronName)!;
  expect(cell(row, 'tips')).toBe('13');

  // Back to the gallery, not reopened: that tile has the CSV's numbers, a new thumbnail, the flag at its new z.
  await page.getByRole('button', { name: 'Back to gallery' }).click();
  await expect(tile.getByTestId('gallery-counts')).toHaveText(`P ${cell(row, 'primary_branches')} BP ${cell(row, 'branch_points')} T ${cell(row, 'tips')} ${Number(cell(row, 'total_length_um')).toFixed(1)} µm Nmax ${cell(row, 'sholl_nmax')}`);
  await expect(tile.getByTestId('gallery-flag')).toHaveText('⚠ tips z = +5.4 (median 5)');
  await expect.poll(() => tile.locator('img').getAttribute('src'), { timeout: 60_000 }).not.toBe(oldThumb);
  await expect.poll(() => thumbSizes(tile.locator('img')), { timeout: 60_000 }).toEqual([160]);
  await expect(tiles).toHaveCount(16);
  await page.screenshot({ path: 'test-results/gallery-after-save.png' });

  // With the gallery on screen, the neuron is renamed in the Neurons panel and saved: its tile follows at once, and
  // the history says so.
  const neurons = page.getByRole('region', { name: 'Neurons' });
  await neurons.locator('.name', { hasText: neuronName }).dblclick();
  await neurons.getByLabel('Neuron name').fill('CA1 pyramidal');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveTitle(/^•/);
  await expect(tile.locator('.gallery-name')).toHaveText('ctl_2.tif · CA1 pyramidal');
  await expect(tile.getByTestId('gallery-counts')).toContainText('T 13 ');
  const history = page.getByRole('region', { name: 'History' });
  await history.getByLabel('Every neuron').check();
  await expect(history.getByTestId('history-what').first()).toHaveText(`renamed '${neuronName}' → 'CA1 pyramidal'`);
  await page.screenshot({ path: 'test-results/gallery-after-rename.png' });

  // Another program rewrites ctl_2's annotation file with one more spurious branch gone: the file watcher's event
  // refreshes the tile too (12 tips; z = 7 / 1.4826 = +4.7).
  const project = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const annotationPath = annotationOf(folder, project.images.find((i) => i.path === 'control/ctl_2.tif')!.id);
  const file = parseAnnotation(readFileSync(annotationPath, 'utf8'));
  const renamed = file.document.neurons.find((n) => n.name === 'CA1 pyramidal')!;
  renamed.branches.splice(renamed.branches.findIndex((b) => b.parent.kind === 'soma' && b.nodes.length === 2), 1);
  writeFileSync(annotationPath, serializeAnnotation(file));
  await expect(tile.getByTestId('gallery-counts')).toContainText('T 12 ');
  await expect(tile.getByTestId('gallery-flag')).toHaveText('⚠ tips z = +4.7 (median 5)');
});
