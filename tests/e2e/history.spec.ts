import { readFileSync } from 'node:fs';
import { decode } from 'fast-png';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { join } from 'node:path';
import { annotationOf, startWithExperiment, traceOneNeuron } from './experiment';
import { clickImage, debug, expect, test, toPage, type Harness } from './harness';

const SOMA = { x: 120, y: 150 };

async function becomes(app: Harness, name: string, role: 'tracer' | 'reviewer') {
  const review = app.page.getByRole('region', { name: 'Review' });
  const change = review.getByTestId('user-settings').getByRole('button', { name: 'Change', exact: true });
  if (await change.count()) await change.click();
  await review.getByLabel('Your name').fill(name);
  await review.getByLabel('Your role').selectOption(role);
  await review.getByRole('button', { name: 'Save' }).click();
  await expect(review.getByTestId('user-settings')).toHaveText(new RegExp(`You: ${name.replace('.', '\\.')} \\(${role}\\)`));
}

/** Traces a path from `from` (a soma or a node) through straight segments, ends it. */
async function tracePath(app: Harness, from: { x: number; y: number }, ...through: Array<{ x: number; y: number }>) {
  // T toggles the trace tool: press it only when another tool is on.
  if ((await debug(app.page, (d) => d.tool())) !== 'trace') await app.page.keyboard.press('t');
  await expect.poll(() => debug(app.page, (d) => d.tracing().status)).toBe('ready');
  await clickImage(app.page, from.x, from.y);
  for (const p of through) await clickImage(app.page, p.x, p.y, { shift: true });
  await app.page.keyboard.press('Enter');
  await debug(app.page, (d) => d.idle());
}

/** RGBA at an image-px point of a screenshot of the page. */
async function pixelAt(app: Harness, png: Buffer, x: number, y: number): Promise<number[]> {
  const img = decode(png);
  const p = await toPage(app.page, x, y);
  const i = (Math.round(p.y) * img.width + Math.round(p.x)) * img.channels;
  return [...img.data.slice(i, i + 3)].map(Number);
}

test('history per save and "Changes since review": trace, approve, add a path and delete one, save; the panel and the canvas show it', async ({ app }) => {
  const folder = await startWithExperiment(app);
  const { page } = app;
  const review = page.getByRole('region', { name: 'Review' });
  const history = page.getByRole('region', { name: 'History' });

  // Tina traces two paths from one soma and saves.
  await becomes(app, 'Tina', 'tracer');
  await traceOneNeuron(app, SOMA.x, SOMA.y);
  await tracePath(app, { x: SOMA.x - 4, y: SOMA.y }, { x: SOMA.x - 60, y: SOMA.y - 10 }, { x: SOMA.x - 90, y: SOMA.y - 40 });
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveTitle(/^•/);
  await expect(history.getByTestId('history-entry')).toHaveCount(2);
  await expect(history.getByTestId('history-entry').first()).toContainText('Tina (tracer)');
  await expect(history.getByTestId('history-what').first()).toHaveText(/^\+1 path, \+\d+ nodes$/);
  await expect(history.getByTestId('history-counts').first()).toContainText('primary 1 → 2 · branch points 0 → 0 · tips 1 → 2');
  await expect(history.getByTestId('history-what').last()).toHaveText(/^neuron traced: 1 path, \d+ nodes$/);
  await expect(review.getByTestId('changes-since-review')).toContainText('shown once the tracing is approved or sent back');
  await review.getByRole('button', { name: 'Ready for review' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/ready for review/);

  // Dr. Pia approves: no history entry (nothing traced changed), the approved geometry is kept.
  await becomes(app, 'Dr. Pia', 'reviewer');
  await review.getByRole('button', { name: 'Approve' }).click();
  await expect(review.getByTestId('review-status')).toHaveText(/approved by Dr\. Pia/);
  await expect(history.getByTestId('history-entry')).toHaveCount(2);
  await expect(history.getByTestId('history-reviewed')).toContainText('reviewed by Dr. Pia');
  await expect(review.getByTestId('changes-since-review')).toContainText('0 nodes added, 0 removed, 0 moved');
  const approved = await debug(page, (d) => d.doc());
  const [pathA, pathB] = approved.neurons[0].branches;

  // Tina adds a path on a node of path A and deletes path B, then saves.
  await becomes(app, 'Tina', 'tracer');
  const onA = pathA.nodes[Math.floor(pathA.nodes.length / 2)];
  await tracePath(app, onA, { x: onA.x, y: onA.y + 60 });
  await page.keyboard.press('e');
  const k = Math.floor(pathB.nodes.length / 2);
  await clickImage(page, (pathB.nodes[k - 1].x + pathB.nodes[k].x) / 2, (pathB.nodes[k - 1].y + pathB.nodes[k].y) / 2);
  await expect.poll(() => debug(page, (d) => d.selection())).toEqual({ kind: 'branch', branchId: pathB.id });
  await page.keyboard.press('Delete');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+s');
  await expect(page).not.toHaveTitle(/^•/);

  // The panel: a third entry, newest first, with the counts before → after (1 branch point more, 1 primary less).
  await expect(history.getByTestId('history-entry')).toHaveCount(3);
  const newest = history.getByTestId('history-entry').first();
  await expect(newest).toContainText('Tina (tracer)');
  await expect(newest.getByTestId('history-what')).toHaveText(/^\+1 path, −1 path, \+\d+ nodes, −\d+ nodes$/);
  await expect(newest.getByTestId('history-counts')).toContainText('primary 2 → 1 · branch points 0 → 1 · tips 2 → 2');
  // The review marker sits between the edit after it and the saves before it.
  await expect(history.locator('ol > li').nth(1)).toHaveAttribute('data-testid', 'history-reviewed');

  // On disk, read back: the same entry, credited to Tina.
  const project = parseProject(readFileSync(join(folder, PROJECT_FILE_NAME), 'utf8'));
  const file = parseAnnotation(readFileSync(annotationOf(folder, project.images.find((i) => i.status === 'approved')!.id), 'utf8'));
  expect(file.history?.entries).toHaveLength(3);
  expect(file.history?.entries[2]).toMatchObject({ by: 'Tina', role: 'tracer', neurons: [{ change: 'changed', branches: { added: 1, removed: 1, changed: 0 }, before: { primaryDendrites: 2, branchPoints: 0, tips: 2 }, after: { primaryDendrites: 1, branchPoints: 1, tips: 2 } }] });
  expect(file.history?.reviewed?.by).toBe('Dr. Pia');

  // "Changes since review" (D): the new path is drawn as added from its node on path A, path B as removed from the soma.
  await page.mouse.move(5, 5);
  const before = await page.screenshot();
  await page.keyboard.press('d');
  await expect(review.getByLabel('Show changes since review')).toBeChecked();
  const drawn = (await debug(page, (d) => d.changesOnCanvas()))!;
  expect(drawn.added).toHaveLength(1);
  expect(drawn.added[0].points.slice(0, 2)).toEqual([onA.x, onA.y]);
  expect(drawn.removed).toHaveLength(1);
  expect(drawn.removed[0].points.length / 2).toBe(pathB.nodes.length + 1);
  await expect(review.getByLabel('Legend')).toContainText('added');
  const after = await page.screenshot({ path: test.info().outputPath('changes-since-review.png') });
  await history.scrollIntoViewIfNeeded();
  await history.screenshot({ path: test.info().outputPath('history-panel.png') });

  // Pixels: along deleted path B (nothing is traced there now) the dashes are vermillion, where before there was the
  // neuron's yellow line; beside the new path, sky blue.
  const along = Array.from({ length: 12 }, (_, i) => ({ x: pathB.nodes[k - 1].x + ((pathB.nodes[k].x - pathB.nodes[k - 1].x) * (i + 0.5)) / 12, y: pathB.nodes[k - 1].y + ((pathB.nodes[k].y - pathB.nodes[k - 1].y) * (i + 0.5)) / 12 }));
  const vermillion = (c: number[]) => c[0] > 200 && c[0] - c[2] > 120 && c[1] < 160;
  const ghosts = await Promise.all(along.map((p) => pixelAt(app, after, p.x, p.y)));
  const plain = await Promise.all(along.map((p) => pixelAt(app, before, p.x, p.y)));
  expect(ghosts.filter(vermillion).length).toBeGreaterThanOrEqual(4);
  expect(plain.filter(vermillion)).toEqual([]);
  // 3 screen px to the side of the middle segment of the new path: on its halo, off its 2 px line.
  const cam = await debug(page, (d) => d.camera());
  const pts = drawn.added[0].points;
  const m = 2 * Math.floor(pts.length / 4) - 2;
  const [x0, y0, x1, y1] = pts.slice(m, m + 4);
  const len = Math.hypot(x1 - x0, y1 - y0);
  const beside = { x: (x0 + x1) / 2 + ((y0 - y1) / len) * (3 / cam.scale), y: (y0 + y1) / 2 + ((x1 - x0) / len) * (3 / cam.scale) };
  const halo = await pixelAt(app, after, beside.x, beside.y);
  const noHalo = await pixelAt(app, before, beside.x, beside.y);
  expect(halo[2] - halo[0]).toBeGreaterThan(80);
  expect(halo[2]).toBeGreaterThan(150);
  expect(noHalo[2]).toBeLessThan(100);

  // Off again: the layer draws nothing.
  await page.keyboard.press('d');
  await expect.poll(() => debug(page, (d) => d.changesOnCanvas())).toBeNull();
});
