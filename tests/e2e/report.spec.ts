import { expect, test } from '@playwright/test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeReport } from '../../electron/services/report-service';
import { makeResultsProject } from '../fixtures/project/make-results-project';

/*
 * The report of the Results fixture (tests/fixtures/project/make-results-project.ts) opened in Chromium.
 * Expected numbers from R for the primary dendrites per neuron (VEH 3,4,3,4,5,3; DRUG 5,6,5,7,6,6; KET 4,4,5,5,4,6):
 *   anova(lm(y ~ g)): F = 11.140350877193, p = 0.001082813976
 *   multcomp Dunnett vs VEH (abseps 1e-7): DRUG 0.0005292528779, KET 0.0818426372790
 *   kruskal.test: p = 0.005920010112
 */
test('the report shows the methods, n, Sholl curves and each measure with R’s test results', async ({ page }) => {
  const root = await makeResultsProject();
  const out = join(root, 'report.html');
  try {
    await writeReport(root, out, { appVersion: '9.9.9', now: '2026-02-03T04:05:06Z' });
    await page.goto(pathToFileURL(out).href);
    await expect(page).toHaveTitle('Results fixture — Ramify report');
    const methods = page.locator('#methods');
    await expect(methods).toContainText('Ramify 9.9.9 (9 images, 18 neurons: VEH, n = 6; DRUG, n = 6; KET, n = 6)');
    await expect(methods).toContainText('radii from 10 µm in 5 µm steps');
    await expect(methods).toContainText("Dunnett's many-to-one comparisons against VEH");
    await expect(methods).toContainText('1 µm/px (imagej): 9 images');
    await expect(page.locator('#n-table tbody tr')).toHaveText(['VEH66', 'DRUG66', 'KET66']);

    const sholl = page.locator('svg[data-plot="sholl"]');
    await expect(sholl).toHaveCount(1);
    await expect(sholl.locator('[data-legend]')).toHaveText(['VEH (n = 6)', 'DRUG (n = 6)', 'KET (n = 6)']);
    await expect(sholl.locator('polyline[data-series]')).toHaveCount(3);
    await expect(page.locator('svg[data-plot="dots"]')).toHaveCount(8);

    const primaries = page.locator('section[data-measure="primary_branches"]');
    await expect(primaries.locator('svg circle')).toHaveCount(18);
    await expect(primaries.locator('[data-annotation]')).toHaveText(['p = 0.0005293', 'p = 0.08184']);
    await expect(primaries.locator('.test')).toContainText('F(2, 15) = 11.14, p = 0.001083');
    await expect(primaries.locator('.test')).toContainText('Kruskal–Wallis H(2) = 10.26, p = 0.00592');
    await expect(primaries.locator('table.summary tbody tr').first()).toHaveText('VEH63.6670.81650.3333');
    // Every neuron branches once per primary, identically: no test, said so.
    await expect(page.locator('section[data-measure="max_branch_order"] .test')).toContainText('No test: no variation within any group');

    // No network, no script: one self-contained file.
    expect(await page.locator('script, link[rel="stylesheet"], img[src^="http"]').count()).toBe(0);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.setViewportSize({ width: 1000, height: 1400 });
    await page.screenshot({ path: 'test-results/report.png', fullPage: false });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
