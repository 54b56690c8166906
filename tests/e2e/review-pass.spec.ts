import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { parseCsv } from '../../shared/project/csv-parse';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { annotationOf, startWithExperiment, traceOneNeuron } from './experiment';
import { clickImage, debug, expect, test, toPage, waitForImage } from './harness';

/** Says who is at the keyboard (the app's settings: name and role), from the Review panel. */
async function beUser(page: Page, name: string, role: 'tracer' | 'reviewer') {
  const review = page.getByRole('region', { name: 'Review' });
  const change = review.getByRole('button', { name: 'Change' });
  if (await change.isVisible()) await change.click();
  await review.getByLabel('Your name').fill(name);
  await review.getByLabel('Your role').selectOption(role);
  await review.getByRole('button', { name: 'Save' }).click();
  await expect(review.getByTestId('user-settings')).toHaveText(new RegExp(`You: ${name.replace('.', '\\.')} \\(${role}\\)`));
}

/** The project's saved state of an image, by path. */
const onDisk = (folder: string, path: string) => {
  const project = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const image = project.images.find((i) => i.path === path)!;
  return { image, file: parseAnnotation(readFileSync(annotationOf(folder, image.id), 'utf8')) };
};

/** The tip of the first neuron's first path: where the tracer stopped. */
const tipOf = async (page: Page) => {
  // The image shows before its tracing has loaded.
  await expect.poll(() => debug(page, (d) => d.doc().neurons[0]?.branches.length ?? 0)).toBeGreaterThan(0);
  return debug(page, (d) => d.doc().neurons[0].branches[0].nodes.at(-1)!);
};

test("a reviewer's pass: queue, comment pinned on the image, changes requested, the tracer fixes and answers, approval, approved-only export", async ({ app }) => {
  const folder = await startWithExperiment(app);
  const { page } = app;
  const review = page.getByRole('region', { name: 'Review' });
  const list = page.getByTestId('project-images');
  const filters = page.getByTestId('queue-filters');

  // The tracer traces two images and hands both over.
  await beUser(page, 'Tina Tracer', 'tracer');
  await traceOneNeuron(app, 120, 150);
  await review.getByRole('button', { name: 'Ready for review' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/ready for review/);
  await expect(list.locator('li.current')).toContainText('ready for review');
  await expect(page).not.toHaveTitle(/^•/);
  await page.getByRole('button', { name: 'Next ▶', exact: true }).click();
  await waitForImage(page, 'ket_02.tif');
  await traceOneNeuron(app, 100, 220);
  await review.getByRole('button', { name: 'Ready for review' }).click();
  await expect(list.locator('li.current')).toContainText('ready for review');

  // The reviewer's queue: the list filtered to what waits for them, with counts.
  await beUser(page, 'Dr. Pia Reviewer', 'reviewer');
  await expect(filters.getByRole('button')).toHaveText(['all 6', 'to do 4', 'ready for review 2', 'changes requested 0', 'approved 0', 'excluded 0']);
  await filters.getByRole('button', { name: /^ready for review/ }).click();
  await expect(list.locator('li .name')).toHaveText(['ket_01.tif', 'ket_02.tif']);
  await page.getByTestId('project-images').screenshot({ path: 'test-results/review-queue-list.png' });
  await page.locator('.project-sidebar').screenshot({ path: 'test-results/review-queue.png' });
  // The shortcut help lists the queue's key and the comment pin's.
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help.getByRole('row', { name: /Next to review/ })).toContainText('Shift+N');
  await expect(help.getByRole('row', { name: /Pin a comment/ })).toContainText('C');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  // Next to review (Shift+N) goes on from the open image, wrapping around: ket_02 is open, so ket_01.
  await page.keyboard.press('Shift+N');
  await waitForImage(page, 'ket_01.tif');
  await expect(page.getByTestId('current-status')).toHaveText(/ready for review/);

  // A comment pinned on the tip (C, then a click on it), and one on the background by right-click.
  const tip = await tipOf(page);
  await page.keyboard.press('c');
  await clickImage(page, tip.x + 2, tip.y + 1);
  const composer = page.getByRole('dialog', { name: 'New comment' });
  await expect(composer).toContainText('Comment on this node');
  await composer.getByLabel('Comment text').fill('The dendrite goes on past this tip: extend it.');
  await composer.getByLabel('Comment text').press('Enter');
  await expect(composer).toHaveCount(0);
  const blob = await toPage(page, 300, 80);
  await page.mouse.click(blob.x, blob.y, { button: 'right' });
  await expect(composer).toContainText('Comment here');
  await composer.getByLabel('Comment text').fill('Debris, not a cell: fine to leave untraced.');
  await page.getByTestId('viewer-canvas').screenshot({ path: 'test-results/review-comment-composer.png' });
  await composer.getByRole('button', { name: 'Pin comment' }).click();
  const threads = review.getByTestId('comment-thread');
  await expect(threads).toHaveCount(2);
  await expect(threads.nth(0).getByTestId('review-comment')).toHaveText(/^Dr\. Pia Reviewer \(reviewer\) · .*: The dendrite goes on past this tip: extend it\.$/);
  await expect(review).toContainText('2 open of 2');
  // Saved at once, pinned where it was dropped: the tip node, and the background point.
  await expect.poll(() => onDisk(folder, 'ketamine/ket_01.tif').file.review.comments.length).toBe(2);
  const pinned = onDisk(folder, 'ketamine/ket_01.tif').file.review.comments;
  expect(pinned.map((c) => c.anchor)).toEqual([{ x: tip.x, y: tip.y, nodeId: tip.id }, { x: expect.closeTo(300, 0), y: expect.closeTo(80, 0) }]);
  expect(pinned[0]).toMatchObject({ author: 'Dr. Pia Reviewer', role: 'reviewer', id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  await page.getByTestId('viewer-canvas').screenshot({ path: 'test-results/review-comment-markers.png' });

  await review.getByRole('button', { name: 'Request changes' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/changes requested by Dr\. Pia Reviewer/);

  // The tracer finds the image sent back through the queue (from another image).
  await beUser(page, 'Tina Tracer', 'tracer');
  await filters.getByRole('button', { name: /^all/ }).click();
  await page.getByRole('button', { name: 'Next ▶', exact: true }).click();
  await waitForImage(page, 'ket_02.tif');
  await filters.getByRole('button', { name: /^changes requested/ }).click();
  await expect(list.locator('li .name')).toHaveText(['ket_01.tif']);
  await page.getByRole('button', { name: 'Next to review ▶' }).click();
  await waitForImage(page, 'ket_01.tif');

  // They see the comment; a click on it brings its pin to the middle of the view.
  await expect(threads.nth(0)).toContainText('extend it');
  await page.keyboard.press('0');
  await threads.nth(0).getByTestId('review-comment').click();
  await expect(threads.nth(0)).toHaveClass(/selected/);
  const cam = await debug(page, (d) => d.camera());
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  expect(cam.scale).toBeGreaterThanOrEqual(1);
  expect(tip.x * cam.scale + cam.x).toBeCloseTo(Math.floor(box.width) / 2, 0);
  expect(tip.y * cam.scale + cam.y).toBeCloseTo(Math.floor(box.height) / 2, 0);

  // The fix: the path is extended from its tip; the node comment stays on its node.
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
  await clickImage(page, tip.x, tip.y);
  await clickImage(page, tip.x + 25, tip.y + 25, { shift: true });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveTitle(/^•/);
  const nodes = await debug(page, (d) => d.doc().neurons[0].branches.flatMap((b) => b.nodes.map((n) => n.id)).length);
  expect(nodes).toBeGreaterThan(3);
  // The answer and the resolve, each saved at once.
  await threads.nth(0).getByLabel('Reply to comment 1').fill('Extended to where the signal ends.');
  await threads.nth(0).getByLabel('Reply to comment 1').press('Enter');
  await expect(threads.nth(0).getByTestId('comment-reply')).toHaveText(/^Tina Tracer \(tracer\) · .*: Extended to where the signal ends\.$/);
  await threads.nth(0).getByRole('button', { name: 'Resolve' }).click();
  await expect(threads.nth(0).getByTestId('comment-resolved')).toHaveText(/^Resolved by Tina Tracer/);
  await expect(review).toContainText('1 open of 2');
  await review.screenshot({ path: 'test-results/review-comment-threads.png' });
  await review.getByRole('button', { name: 'Ready for review' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/ready for review/);
  await expect(page).not.toHaveTitle(/^•/);
  await expect.poll(() => app.dirty).toBe(false);

  // The reviewer approves the fixed image.
  await beUser(page, 'Dr. Pia Reviewer', 'reviewer');
  // From the gallery: the images waiting for review, one tile per neuron with its counts; a click opens ket_01's.
  await page.getByRole('button', { name: 'Gallery…' }).click();
  const gallery = page.getByTestId('gallery-panel');
  await gallery.getByLabel('Status filter').selectOption('ready-for-review');
  // ket_01 (fixed and resubmitted) and ket_02 (submitted, never reviewed).
  await expect(gallery.getByTestId('gallery-tile')).toHaveCount(2);
  const waiting = gallery.getByTestId('gallery-tile').filter({ hasText: 'ket_01.tif' });
  await expect(waiting).toHaveCount(1);
  await expect(waiting.first()).toContainText('ready for review');
  await expect(waiting.first().getByTestId('gallery-counts')).toHaveText(/^P \d+ BP \d+ T \d+ [\d.]+ µm Nmax \d+$/);
  const tileCounts = await waiting.first().getByTestId('gallery-counts').innerText();
  await page.screenshot({ path: 'test-results/review-gallery.png' });
  await waiting.first().click();
  await expect(gallery).toHaveCount(0);
  await waitForImage(page, 'ket_01.tif');
  await expect.poll(() => debug(page, (d) => d.selection())).toMatchObject({ kind: 'neuron' });
  await expect(threads.nth(0)).toContainText('Extended to where the signal ends.');
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/approved by Dr\. Pia Reviewer/);
  await expect.poll(() => onDisk(folder, 'ketamine/ket_01.tif').image.status).toBe('approved');
  const { file } = onDisk(folder, 'ketamine/ket_01.tif');
  expect(file.review.status).toBe('approved');
  expect(file.review.comments[0]).toMatchObject({
    anchor: { x: tip.x, y: tip.y, nodeId: tip.id },
    replies: [{ author: 'Tina Tracer', role: 'tracer', text: 'Extended to where the signal ends.' }],
    resolved: true,
    resolvedBy: 'Tina Tracer',
  });
  expect(file.review.comments[1].resolved).toBeUndefined();

  // Export, approved neurons only: ket_01's neuron, and a summary of what was left out.
  const out = mkdtempSync(join(tmpdir(), 'ramify-export-'));
  await page.getByRole('button', { name: 'Export…' }).click();
  await page.getByLabel('Approved neurons only').check();
  app.dialogAnswers.push(out);
  await page.getByRole('button', { name: 'Choose folder and export…' }).click();
  await expect(page.getByTestId('notice')).toContainText('Exported 1 approved neuron from 1 image; left out 1 neuron not approved (1 ready for review)');
  const [header, ...rows] = parseCsv(readFileSync(join(out, 'neurons.csv'), 'utf8'));
  const col = (name: string) => rows.map((r) => r[header.indexOf(name)]);
  expect(rows).toHaveLength(1);
  expect([col('image_file'), col('review_status'), col('reviewer'), col('tracer')]).toEqual([['ketamine/ket_01.tif'], ['approved'], ['Dr. Pia Reviewer'], ['Tina Tracer']]);
  // The gallery showed the reviewer the very numbers the export writes.
  expect(tileCounts).toBe(`P ${col('primary_branches')[0]} BP ${col('branch_points')[0]} T ${col('tips')[0]} ${Number(col('total_length_um')[0]).toFixed(1)} µm Nmax ${col('sholl_nmax')[0]}`);
});
