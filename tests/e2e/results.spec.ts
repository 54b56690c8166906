import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeResultsProject } from '../fixtures/project/make-results-project';
import { openProjectFolder } from './experiment';
import { expect, test, waitForImage } from './harness';

/*
 * The Results view on the Results fixture (tests/fixtures/project/make-results-project.ts: VEH, DRUG, KET, 6 star
 * neurons each; primaries VEH 3,4,3,4,5,3 / DRUG 5,6,5,7,6,6 / KET 4,4,5,5,4,6; Nmax = 2 × primaries).
 * R on the primaries: F(2, 15) = 11.140350877193, p = 0.001082813976; Dunnett vs VEH (multcomp) p = 0.0005292528779
 * (DRUG) and 0.0818426372790 (KET). Nmax doubles every value, which leaves F and p unchanged.
 */
test('Results view: Sholl curves, dot plots with R’s test results, unit of analysis, blind mode hides names', async ({ app }) => {
  const folder = await makeResultsProject();
  const { page } = app;
  try {
    await app.start();
    await waitForImage(page, 'sample-neurons.tif');
    await openProjectFolder(app, folder, 9);

    await page.getByRole('button', { name: 'Results…' }).click();
    const panel = page.getByTestId('results-panel');
    const sholl = panel.getByTestId('results-sholl');
    await expect(sholl.locator('[data-legend]')).toHaveText(['VEH (n = 6)', 'DRUG (n = 6)', 'KET (n = 6)']);
    await expect(sholl.locator('polyline[data-series]')).toHaveCount(3);
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
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
