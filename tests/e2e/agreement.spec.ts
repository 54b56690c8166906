import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { SECRETS, startWithExperiment, traceOneNeuron } from './experiment';
import { debug, expect, test, waitForImage, type Harness } from './harness';

async function becomeUser(app: Harness, name: string) {
  const review = app.page.getByRole('region', { name: 'Review' });
  const change = review.getByRole('button', { name: 'Change' });
  if (await change.isVisible()) await change.click();
  await review.getByLabel('Your name').fill(name);
  await review.getByRole('button', { name: 'Save' }).click();
  await expect(review.getByTestId('user-settings')).toHaveText(new RegExp(`You: ${name} `));
}

test('two tracers trace an assigned image blind to each other; the Agreement view shows ICC, Bland–Altman and distances', async ({ app }) => {
  const folder = await startWithExperiment(app);
  const { page } = app;
  const neurons = () => debug(page, (d) => d.doc()).then((doc) => doc.neurons.length);
  await becomeUser(app, 'Ana');

  // Assign 10 % of the six images (one) to Ana and Ben.
  await page.getByRole('button', { name: 'Agreement…' }).click();
  const panel = page.getByTestId('agreement-panel');
  await expect(panel.getByTestId('agreement-assign')).toBeVisible();
  await panel.getByLabel('Tracer B').fill('Ben');
  await panel.getByRole('button', { name: 'Assign images' }).click();
  await expect(panel.getByTestId('agreement-summary')).toHaveText(/^Ana \(A\) and Ben \(B\) trace 1 image \(10 %, seed \d+\); 0 traced by both\. You are tracer A/);
  const assigned = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const imageId = assigned.agreement!.imageIds[0];
  const imageName = assigned.images.find((i) => i.id === imageId)!.path.split('/').pop()!;

  // Ana opens it from the view: her own (empty) tracing. She traces two neurons.
  await panel.locator('.agreement-images button').click();
  await waitForImage(page, imageName);
  await panel.getByRole('button', { name: 'Close agreement' }).click();
  await expect.poll(neurons).toBe(0);
  await traceOneNeuron(app, 120, 150);
  await traceOneNeuron(app, 200, 250);
  await expect.poll(neurons).toBe(2);

  // Ben, on the same machine, opens the same image: his own file, none of Ana's work.
  await becomeUser(app, 'Ben');
  await page.getByTestId('project-images').locator('li', { hasText: imageName }).click();
  await expect.poll(neurons).toBe(0);
  await traceOneNeuron(app, 121, 151);
  await traceOneNeuron(app, 200, 250, [[50, 8]]);

  // On disk: one file per tracer; the image's own annotations were never written.
  const project = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const files = project.agreement!.files[imageId];
  expect(Object.keys(files).sort()).toEqual(['Ana', 'Ben']);
  expect(parseAnnotation(readFileSync(join(folder, files.Ana), 'utf8')).document.neurons).toHaveLength(2);
  expect(parseAnnotation(readFileSync(join(folder, files.Ben), 'utf8')).document.neurons).toHaveLength(2);
  const own = project.images.find((i) => i.id === imageId)!;
  expect(own.neuronCount).toBe(0);
  expect(own.annotation === null || !existsSync(join(folder, own.annotation))).toBe(true);

  // Back to Ana: she sees her two neurons again, never Ben's.
  await becomeUser(app, 'Ana');
  await page.getByTestId('project-images').locator('li', { hasText: imageName }).click();
  await expect.poll(neurons).toBe(2);

  // The Agreement view: two pairs, an ICC for total length, the Bland–Altman plot, per-neuron distances.
  await page.getByRole('button', { name: 'Agreement…' }).click();
  await expect(panel.getByTestId('agreement-summary')).toContainText('1 traced by both');
  await expect(panel.getByTestId('agreement-neurons').locator('tbody tr')).toHaveCount(2);
  await expect(panel.getByTestId('icc-total_length')).toHaveText(/^-?\d\.\d{3} \[-?\d\.\d{3}, -?\d\.\d{3}\]$/);
  await expect(panel.getByTestId('agreement-distances')).toHaveText(/^Mean over 2 pairs: SD \d+\.\d\d µm, SSD \d+\.\d\d µm, %SSD \d+\.\d$/);
  await expect(panel.getByTestId('bland-altman').locator('svg circle')).toHaveCount(2);
  await expect(panel.getByTestId('bland-altman').locator('[data-line="bias"]')).toHaveCount(1);
  await page.screenshot({ path: 'test-results/agreement-view.png' });

  // Blind mode: the view names the image by its code, with no file name or condition.
  await panel.getByRole('button', { name: 'Close agreement' }).click();
  await page.getByLabel('Blind mode').click();
  await page.getByRole('button', { name: 'Agreement…' }).click();
  await expect(panel.getByText('Blinded: images are coded')).toBeVisible();
  await expect(panel.locator('.agreement-images button')).toHaveText(/^Image 00\d$/);
  const text = await panel.innerText();
  for (const s of SECRETS) expect(text).not.toContain(s);
  await page.screenshot({ path: 'test-results/agreement-view-blinded.png' });
});
