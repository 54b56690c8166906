import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnnotationDocument } from '../../shared/model/document';
import { measureDocument } from '../../shared/analysis';
import { clickImage, debug, expect, ROOT, test, waitForImage } from './harness';

const truth = JSON.parse(readFileSync(join(ROOT, 'build/sample/sample-neurons.truth.json'), 'utf8')) as { document: AnnotationDocument };
const neuron = truth.document.neurons[0];
const nodesOf = (id: number) => neuron.branches.find((b) => b.id === id)!.nodes;
const nodeAt = (id: number) => neuron.branches.flatMap((b) => b.nodes).find((n) => n.id === id)!;

test('the measurements panel follows the tracing live; the Sholl step changes the plot', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  const soma = neuron.soma as { x: number; y: number };
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');

  const metric = (id: string) => page.getByTestId(`metric-${id}`).locator('td.value');
  // One primary dendrite: 1 primary, 0 branch points, 1 tip.
  const b5 = nodesOf(5);
  await clickImage(page, b5[0].x, b5[0].y);
  await clickImage(page, b5[95].x, b5[95].y);
  await page.keyboard.press('Enter');
  await expect(metric('primary_branches')).toHaveText('1');
  await expect(metric('branch_points')).toHaveText('0');
  await expect(metric('tips')).toHaveText('1');

  // A side branch makes a branch point; a second primary adds one more primary and tip.
  const bp = nodeAt(75);
  await clickImage(page, bp.x, bp.y);
  const side = nodesOf(1193);
  await clickImage(page, side[26].x, side[26].y);
  await page.keyboard.press('Enter');
  const b102 = nodesOf(102);
  await clickImage(page, b102[0].x, b102[0].y);
  await clickImage(page, b102[53].x, b102[53].y);
  await page.keyboard.press('Enter');
  await expect(metric('primary_branches')).toHaveText('2');
  await expect(metric('branch_points')).toHaveText('1');
  await expect(metric('tips')).toHaveText('3');
  await expect(metric('branches')).toHaveText('4');

  // The panel shows exactly what shared/analysis computes for the document (the same code as `ramify measure`).
  const doc = await debug(page, (d) => d.doc());
  const [m] = measureDocument(doc, { sholl: { start: 10, step: 1 } });
  await expect(metric('total_length')).toHaveText(String(Number(m.morphometrics.totalLength.toPrecision(5))));
  await expect(metric('sholl_nmax')).toHaveText(`${m.sholl!.maxCrossings} (${Number(m.sholl!.maxCrossingsRadius!.toPrecision(4))})`);

  // Sholl step 1 µm → 5 µm: the plot has fewer points and Nmax follows the coarser sampling.
  const plot = page.getByTestId('sholl-plot');
  await expect(plot).toHaveAttribute('data-points', String(m.sholl!.profile.length));
  await page.getByLabel('Sholl step').fill('5');
  const [m5] = measureDocument(doc, { sholl: { start: 10, step: 5 } });
  await expect(plot).toHaveAttribute('data-points', String(m5.sholl!.profile.length));
  expect(m5.sholl!.profile.length).toBeLessThan(m.sholl!.profile.length);
  await expect(metric('sholl_nmax')).toHaveText(`${m5.sholl!.maxCrossings} (${Number(m5.sholl!.maxCrossingsRadius!.toPrecision(4))})`);
  // An invalid step is refused with a message, not numbers.
  await page.getByLabel('Sholl step').fill('0');
  await expect(page.getByRole('status').filter({ hasText: 'step must be a positive number' })).toBeVisible();
  await page.getByLabel('Sholl step').fill('5');
  // Half-typed settings never break autosave (the last valid ones are saved).
  await expect.poll(() => debug(page, (d) => d.autosaveSettled()), { timeout: 5000 }).toBe(true);
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.mouse.move(5, 5);
  await expect(page).toHaveScreenshot('measured-neuron.png', { mask: [page.getByTestId('trace-status'), page.getByTestId('measure-time')] });
});
