import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { annotationOf, startWithExperiment, traceOneNeuron } from './experiment';
import { expect, test } from './harness';

test('a tracer submits, a reviewer comments and approves: each step saved at once, credited to who did it', async ({ app }) => {
  const folder = await startWithExperiment(app);
  const { page } = app;
  const review = page.getByRole('region', { name: 'Review' });

  // The tracer says who they are once (app settings), traces and hands the image over.
  await review.getByLabel('Your name').fill('Tina Tracer');
  await review.getByRole('button', { name: 'Save' }).click();
  await expect(review.getByTestId('user-settings')).toHaveText(/You: Tina Tracer \(tracer\)/);
  await traceOneNeuron(app, 120, 150);
  await expect(review.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await review.getByRole('button', { name: 'Ready for review' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/ready for review/);
  await expect(page).not.toHaveTitle(/^•/);
  await expect(page.getByTestId('project-images').locator('li.current')).toContainText('ready for review');

  // The PI on the same machine changes the settings to their name and the reviewer role.
  await review.getByRole('button', { name: 'Change' }).click();
  await review.getByLabel('Your name').fill('Dr. Pia Reviewer');
  await review.getByLabel('Your role').selectOption('reviewer');
  await review.getByRole('button', { name: 'Save' }).click();
  await expect(review.getByTestId('user-settings')).toHaveText(/You: Dr\. Pia Reviewer \(reviewer\)/);

  // A comment carries the reviewer's name, not the Tracer field (stamped with the tracer's name at the hand-over).
  await review.getByLabel('Review comment').fill('Branch at 2 o’clock looks fine.');
  await review.getByLabel('Review comment').press('Enter');
  await expect(review.getByTestId('review-comment')).toHaveText(/^Dr\. Pia Reviewer \(reviewer\) · .*: Branch at 2 o’clock looks fine\.$/);
  await expect(review.getByLabel('Tracer')).toHaveValue('Tina Tracer');

  // Approving saves by itself: no "unsaved" mark, no question.
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/approved by Dr\. Pia Reviewer/);
  await expect(page).not.toHaveTitle(/^•/);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(app.dirty).toBe(false);
  await expect(page.getByTestId('project-images').locator('li.current')).toContainText('approved');
  await expect(page.getByTestId('project-progress').locator('tbody tr').first().locator('td').nth(2)).toHaveText('1');

  // On disk: the file and the project say the same.
  await expect.poll(() => parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8')).images.find((i) => i.status === 'approved')?.id).toBeTruthy();
  const project = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const approved = project.images.find((i) => i.status === 'approved')!;
  const file = parseAnnotation(readFileSync(annotationOf(folder, approved.id), 'utf8'));
  expect(file.review).toMatchObject({ status: 'approved', reviewer: 'Dr. Pia Reviewer' });
  expect(file.review.comments).toEqual([expect.objectContaining({ author: 'Dr. Pia Reviewer', role: 'reviewer', text: 'Branch at 2 o’clock looks fine.' })]);
  await page.screenshot({ path: 'test-results/review-approved.png' });
});

test('an image is excluded with a reason from the review panel: saved at once, shown in the list, left out of the export with the reason', async ({ app }) => {
  const folder = await startWithExperiment(app);
  const { page } = app;
  const review = page.getByRole('region', { name: 'Review' });
  await review.getByLabel('Your name').fill('Tina Tracer');
  await review.getByRole('button', { name: 'Save' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/to do/);
  await review.getByRole('button', { name: 'Exclude…' }).click();
  await review.getByLabel('Reason for excluding').fill('out of focus');
  await review.getByLabel('Reason for excluding').press('Enter');
  await expect(review.getByTestId('review-status')).toHaveText(/excluded — out of focus/);
  await expect(page).not.toHaveTitle(/^•/);
  await expect(page.getByTestId('project-images').locator('li.current')).toContainText('excluded');
  const project = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  expect(project.images.find((i) => i.path === 'ketamine/ket_01.tif')).toMatchObject({ status: 'excluded', reason: 'out of focus' });

  await page.getByRole('button', { name: 'Export…' }).click();
  app.dialogAnswers.push(mkdtempSync(join(tmpdir(), 'ramify-export-')));
  await page.getByRole('button', { name: 'Choose folder and export…' }).click();
  await expect(page.getByTestId('notice')).toContainText('left out (no rows): ketamine/ket_01.tif (excluded: out of focus), ketamine/ket_02.tif (not traced)');
});
