import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { makeResultsProject } from '../fixtures/project/make-results-project';
import { mainWindowOptions } from '../../electron/window-options';
import { openProjectFolder } from './experiment';
import { debug, expect, test, waitForImage, type Harness } from './harness';

/*
 * The Results view on the Results fixture (tests/fixtures/project/make-results-project.ts: VEH, DRUG, KET, 6 star
 * neurons each; primaries VEH 3,4,3,4,5,3 / DRUG 5,6,5,7,6,6 / KET 4,4,5,5,4,6; Nmax = 2 × primaries).
 * R on the primaries: F(2, 15) = 11.140350877193, p = 0.001082813976; Dunnett vs VEH (multcomp) p = 0.0005292528779
 * (DRUG) and 0.0818426372790 (KET). Nmax doubles every value, which leaves F and p unchanged.
 */
/** The app started on the Results fixture's project (its first image open); the project's folder removed after `body`. */
async function onResultsProject(app: Harness, body: (folder: string) => Promise<void>): Promise<void> {
  const folder = await makeResultsProject();
  try {
    await app.start();
    await waitForImage(app.page, 'sample-neurons.tif');
    await openProjectFolder(app, folder, 9);
    await body(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

test('Results view: Sholl curves, dot plots with R’s test results, unit of analysis, blind mode hides names', async ({ app }) => {
  const { page } = app;
  await onResultsProject(app, async (folder) => {

    await page.getByRole('button', { name: 'Results…' }).click();
    const panel = page.getByTestId('results-panel');
    const sholl = panel.getByTestId('results-sholl');
    await expect(sholl.locator('[data-legend]')).toHaveText(['VEH (n = 6)', 'DRUG (n = 6)', 'KET (n = 6)']);
    await expect(sholl.locator('polyline[data-series]')).toHaveCount(3);
    // Its fields and buttons are light on the white view (they were the dark panels' boxes): the screen 3 px inside
    // the Unit of analysis list and the Export report button, away from their words.
    await page.mouse.move(0, 0);
    const png = decode(await page.screenshot());
    for (const control of [panel.getByLabel('Unit of analysis'), panel.getByRole('button', { name: 'Export report…' })]) {
      const box = (await control.boundingBox())!;
      const i = (Math.round(box.y + box.height / 2) * png.width + Math.round(box.x + 3)) * png.channels;
      for (const v of png.data.slice(i, i + 3)) expect(Number(v)).toBeGreaterThan(220);
    }
    const dots = panel.getByTestId('results-dots');
    await expect(dots.locator('circle')).toHaveCount(18);
    await expect(dots.locator('[data-annotation]')).toHaveText(['p = 0.0005293', 'p = 0.08184']);
    const tests = panel.getByTestId('results-tests');
    await expect(tests).toContainText('One-way ANOVA: F(2, 15) = 11.14, p = 0.001083');
    await expect(tests).toContainText('Dunnett vs VEH: DRUG − VEH = 4.333');
    await expect(tests).toContainText('adjusted p = 0.0005293');

    await panel.getByLabel('Measure').selectOption('primary_branches');
    await expect(tests).toContainText('DRUG − VEH = 2.167');
    await expect(dots.locator('[data-mean]').first()).toHaveAttribute('data-mean', String(22 / 6));

    // Per-neuron Sholl curves: one line per neuron.
    await panel.getByLabel('per neuron').check();
    await expect(sholl.locator('polyline')).toHaveCount(18);
    await panel.getByLabel('per neuron').uncheck();

    // Unit of analysis: the mean per culture (3 cultures × 3 conditions).
    await panel.getByLabel('Unit of analysis').selectOption('culture');
    await expect(dots.locator('circle')).toHaveCount(9);
    await page.screenshot({ path: 'test-results/results-view.png' });
    await panel.getByLabel('Unit of analysis').selectOption('neuron');
    await expect(dots.locator('circle')).toHaveCount(18);

    // Blind mode: codes only, in the plots, the tests and the report.
    await panel.getByRole('button', { name: 'Close results' }).click();
    await page.getByLabel('Blind mode').click();
    await page.getByRole('button', { name: 'Results…' }).click();
    await expect(panel.getByTestId('results-blinded')).toBeVisible();
    await expect(sholl.locator('[data-legend]')).toHaveText(['Group A (n = 6)', 'Group B (n = 6)', 'Group C (n = 6)']);
    await expect(tests).toContainText('One-way ANOVA: F(2, 15) = 11.14');
    for (const name of ['VEH', 'DRUG', 'KET']) await expect(panel).not.toContainText(name);
    await page.screenshot({ path: 'test-results/results-view-blinded.png' });
    const report = join(folder, 'blinded-report.html');
    app.dialogAnswers.push(report);
    await panel.getByRole('button', { name: 'Export report…' }).click();
    await expect.poll(() => existsSync(report)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('Group A (n = 6)');
    expect(html).not.toMatch(/VEH|DRUG|KET/);
  });
});

test('a key meant for the image does nothing over the Results view, the Gallery or a dialog; Esc closes each; a menu command or a dropped file for the image closes the view first', async ({ app }) => {
  const { page } = app;
  await onResultsProject(app, async (folder) => {
    const neurons = () => debug(page, (d) => d.doc().neurons.map((n) => n.name));
    await expect.poll(neurons).toEqual(['star 5', 'star 6']);
    await page.getByRole('region', { name: 'Neurons' }).getByText('star 5').click();
    expect(await debug(page, (d) => d.selection())).toEqual({ kind: 'neuron', neuronId: 1 });

    // Until now Delete over the Results view deleted the neuron selected in the image hidden under it.
    const results = page.getByTestId('results-panel');
    await page.getByRole('button', { name: 'Results…' }).click();
    await expect(results).toBeVisible();
    for (const key of ['Delete', 'Backspace', 'a', 'PageDown']) await page.keyboard.press(key);
    await page.keyboard.press('Escape');
    await expect(results).toHaveCount(0);
    expect(await neurons()).toEqual(['star 5', 'star 6']);
    expect(await debug(page, (d) => d.selection())).toEqual({ kind: 'neuron', neuronId: 1 });
    await expect(page.getByTestId('file-name')).toHaveText('drug_1.tif');
    await expect(page.getByRole('button', { name: 'Hand', exact: true })).toHaveAttribute('aria-pressed', 'true');

    // The Gallery and a dialog the same; Esc closes each in turn.
    await page.getByRole('button', { name: 'Gallery…' }).click();
    const gallery = page.getByRole('region', { name: 'Gallery' });
    await expect(gallery).toBeVisible();
    await page.keyboard.press('Delete');
    await page.getByRole('button', { name: 'Export…' }).click();
    const exporting = page.getByRole('dialog', { name: 'Export project' });
    await expect(exporting).toBeVisible();
    await page.keyboard.press('Delete');
    await page.keyboard.press('Escape');
    await expect(exporting).toHaveCount(0);
    await expect(gallery).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(gallery).toHaveCount(0);
    expect(await neurons()).toEqual(['star 5', 'star 6']);

    // Delete on the image deletes; Edit ▸ Undo chosen over the Results view closes it and undoes (the key, Ctrl+Z, is
    // one meant for the image: over the view it does nothing, as Delete).
    await page.keyboard.press('Delete');
    await expect.poll(neurons).toEqual(['star 6']);
    await page.getByRole('button', { name: 'Results…' }).click();
    await expect(results).toBeVisible();
    await page.keyboard.press('Control+z');
    await page.waitForTimeout(300);
    await expect(results).toBeVisible();
    expect(await neurons()).toEqual(['star 6']);
    app.services.menuActions.command('edit:undo');
    await expect(results).toHaveCount(0);
    await expect.poll(neurons).toEqual(['star 5', 'star 6']);

    // A file dropped on the window over the Results view: the view gives way to the image it opens; over a dialog,
    // nothing opens.
    const drop = async (name: string) => {
      const dataTransfer = await page.evaluateHandle((n) => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array([1, 2, 3])], n, { type: 'image/tiff' }));
        return dt;
      }, name);
      await page.locator('.app').dispatchEvent('drop', { dataTransfer });
    };
    app.dropFolder = join(folder, 'VEH');
    await page.getByRole('button', { name: 'Export…' }).click();
    await drop('veh_1.tif');
    await page.waitForTimeout(500);
    await expect(page.getByTestId('file-name')).toHaveText('drug_1.tif');
    await page.keyboard.press('Escape');
    // With the Gallery opened over the Results view, both give way (the Results view stayed over the image).
    await page.getByRole('button', { name: 'Results…' }).click();
    await expect(results).toBeVisible();
    await page.getByRole('button', { name: 'Gallery…' }).click();
    await expect(gallery).toBeVisible();
    await drop('veh_1.tif');
    await expect(gallery).toHaveCount(0);
    await expect(results).toHaveCount(0);
    await waitForImage(page, 'veh_1.tif');
  });
});

test('a file dragged over a dialog shows no drop hint (the drop opens nothing there); over the image, or over the Results view, it does', async ({ app }) => {
  const { page } = app;
  await onResultsProject(app, async () => {
    const dragOver = async () => {
      const dataTransfer = await page.evaluateHandle(() => {
        const dt = new DataTransfer();
        dt.items.add(new File([new Uint8Array([1])], 'veh_1.tif', { type: 'image/tiff' }));
        return dt;
      });
      await page.locator('.app').dispatchEvent('dragover', { dataTransfer });
    };
    const hint = page.getByText('Drop to open');
    await page.getByRole('button', { name: 'Export…' }).click();
    await expect(page.getByRole('dialog', { name: 'Export project' })).toBeVisible();
    await dragOver();
    await page.waitForTimeout(300);
    await expect(hint).toHaveCount(0);
    await page.keyboard.press('Escape');
    await dragOver();
    await expect(hint).toBeVisible();
    await page.locator('.app').dispatchEvent('dragleave');
    await expect(hint).toHaveCount(0);

    // Over the Results view (a drop there closes it and opens the file) the hint is drawn over the view, where the
    // image is, dark on its white: it was drawn under it, unseen.
    await page.getByRole('button', { name: 'Results…' }).click();
    const results = page.getByTestId('results-panel');
    await expect(results).toBeVisible();
    await dragOver();
    await expect(hint).toBeVisible();
    const [box, view] = [(await hint.boundingBox())!, (await results.boundingBox())!];
    expect([box.x, box.y, box.width, box.height].map(Math.round)).toEqual([view.x, view.y, view.width, view.height].map(Math.round));
    // The screen a quarter of the way in (no words there): dark under the hint, the view's own white once it has gone.
    const quarter = async () => {
      const png = decode(await page.screenshot());
      const i = (Math.round(box.y + box.height / 4) * png.width + Math.round(box.x + box.width / 4)) * png.channels;
      return [...png.data.slice(i, i + 3)].map(Number);
    };
    await page.screenshot({ path: 'test-results/drop-hint-over-results.png' });
    for (const v of await quarter()) expect(v).toBeLessThan(80);
    await page.locator('.app').dispatchEvent('dragleave');
    await expect(hint).toHaveCount(0);
    expect(await quarter()).toEqual([255, 255, 255]);
  });
});

test("in the window at its smallest, the Results view and the Gallery take the image's side panels' room too", async ({ app }) => {
  const { page } = app;
  const { minWidth, minHeight } = mainWindowOptions('');
  await page.setViewportSize({ width: minWidth!, height: minHeight! });
  await onResultsProject(app, async () => {
    const projectRight = await page.getByRole('complementary', { name: 'Project' }).evaluate((e) => e.getBoundingClientRect().right);
    const sidebar = (await page.locator('.sidebar').boundingBox())!;
    const zoom = await page.getByTestId('status-zoom').innerText();
    // Until now each drew over the canvas alone: 360 px between the project's column and the image's panels.
    await page.getByRole('button', { name: 'Results…' }).click();
    const results = page.getByTestId('results-panel');
    await expect(results).toBeVisible();
    const box = (await results.boundingBox())!;
    expect(Math.abs(box.x - projectRight)).toBeLessThanOrEqual(1);
    expect(Math.abs(box.x + box.width - minWidth!)).toBeLessThanOrEqual(1);
    // What lies at the middle of the image's panels is the view, and nothing under it takes a click or a Tab.
    const atPanels = await page.evaluate(([x, y]) => !!document.elementFromPoint(x, y)?.closest('[data-testid="results-panel"]'), [sidebar.x + sidebar.width / 2, sidebar.y + sidebar.height / 2]);
    expect(atPanels).toBe(true);
    expect(await page.locator('.sidebar').evaluate((e) => (e as HTMLElement).inert)).toBe(true);
    await page.screenshot({ path: 'test-results/results-smallest-window.png' });
    await results.getByRole('button', { name: 'Close' }).click();
    await expect(results).toHaveCount(0);

    // The Gallery shows three tiles a row, where it showed one.
    await page.getByRole('button', { name: 'Gallery…' }).click();
    const tiles = page.getByTestId('gallery-tile');
    await expect(tiles.first()).toBeVisible();
    const tops = await tiles.evaluateAll((ts) => ts.map((t) => Math.round(t.getBoundingClientRect().top)));
    expect(tops.filter((t) => t === tops[0]).length).toBeGreaterThanOrEqual(3);
    await page.screenshot({ path: 'test-results/gallery-smallest-window.png' });
    await page.keyboard.press('Escape');
    await expect(page.getByRole('region', { name: 'Gallery' })).toHaveCount(0);

    // The image's panels are back as they were, and the image's view did not move.
    expect(await page.locator('.sidebar').evaluate((e) => (e as HTMLElement).inert)).toBe(false);
    await page.getByRole('region', { name: 'Neurons' }).getByText('star 5').click();
    expect(await debug(page, (d) => d.selection())).toEqual({ kind: 'neuron', neuronId: 1 });
    await expect(page.getByTestId('status-zoom')).toHaveText(zoom);

    // In a wide window the image's panels stay beside the view, at hand (a rename there shows in the Gallery).
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'Results…' }).click();
    await expect(results).toBeVisible();
    const wide = (await results.boundingBox())!;
    expect(Math.abs(wide.x + wide.width - (await page.locator('.sidebar').boundingBox())!.x)).toBeLessThanOrEqual(1);
    expect(await page.locator('.sidebar').evaluate((e) => (e as HTMLElement).inert)).toBe(false);
  });
});

test("the Export dialog's options: each box at the start of its words' line", async ({ app }) => {
  const { page } = app;
  await onResultsProject(app, async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export project' });
    for (const name of ['Also pixel columns for uncalibrated images', 'One SWC file per neuron', 'Approved neurons only']) {
      const box = (await dialog.getByLabel(name).boundingBox())!;
      const label = (await dialog.locator('label', { hasText: name }).boundingBox())!;
      // Until now the dialogs' label layout (a grid) put each box alone on a line, centred above its words.
      expect(box.x + box.width / 2 - label.x, name).toBeLessThan(15);
      expect(label.height, name).toBeLessThan(2 * box.height);
    }
    await page.screenshot({ path: 'test-results/export-dialog.png' });
  });
});
