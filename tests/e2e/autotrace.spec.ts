import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { decode, encode as encodePng } from 'fast-png';
import { basename, dirname, join } from 'node:path';
import { renderMorphology } from '../../build/tools/render-morphology';
import { SAMPLE_SEED, sampleTiff } from '../../build/tools/sample-tiff';
import { syntheticNeurons } from '../../build/tools/synthetic-neuron';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { parseProject, PROJECT_FILE_NAME } from '../../shared/project/schema';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { decodeImage } from '../../shared/image/decode';
import { imagejDescription } from '../../shared/image/imagej';
import type { AnnotationDocument } from '../../shared/model/document';
import type { DecodedImage } from '../../shared/image/types';
import { chooseAutoTool, clickImage, debug, expect, openByDialog, openSampleAsSlideScan, ROOT, SAMPLE, sharedData, test, toPage, waitForImage, type Harness } from './harness';
import { dendriteWithBranchAt } from '../unit/tracing/auto/painters';

// The bundled sample's ground truth: where its first neuron's cell body is, and how many dendrites leave it.
const truth = JSON.parse(readFileSync(join(ROOT, 'build/sample/sample-neurons.truth.json'), 'utf8')) as { document: AnnotationDocument };
const neuron = truth.document.neurons[0];
const soma = neuron.soma as { x: number; y: number };
const truthPrimaries = neuron.branches.filter((b) => b.parent.kind === 'soma').length;

test('Auto tool: one click traces the whole tree, the detail slider re-prunes it, one undo removes it; Detect neurons shows progress', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  const doc = () => debug(page, (d) => d.doc());

  await page.keyboard.press('a');
  await expect(page.getByRole('region', { name: 'Automatic tracing' })).toBeVisible();
  // The Auto tool chosen, the plane on screen goes to the worker ahead of a click: its foreground and distances are
  // ready when the click comes, and the click reuses them.
  expect(await debug(page, (d) => d.autotracePrepared())).toBe(true);
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(1);
  const auto = () => debug(page, (d) => d.autotrace());
  expect((await auto()).lastReused).toBe(true);
  const first = (await doc()).neurons[0];
  expect(first.branches.filter((b) => b.parent.kind === 'soma').length).toBe(truthPrimaries);
  // Only the clicked cell: its neighbours' dendrites, which touch and cross it, stay with their own cell bodies.
  const truthNodes = neuron.branches.flatMap((b) => b.nodes);
  const [x0, x1] = [Math.min(...truthNodes.map((p) => p.x)) - 25, Math.max(...truthNodes.map((p) => p.x)) + 25];
  const [y0, y1] = [Math.min(...truthNodes.map((p) => p.y)) - 25, Math.max(...truthNodes.map((p) => p.y)) + 25];
  const outside = first.branches.flatMap((b) => b.nodes).filter((p) => p.x < x0 || p.x > x1 || p.y < y0 || p.y > y1);
  expect(outside).toEqual([]);
  const fine = first.branches.length;
  expect(fine).toBeGreaterThan(truthPrimaries);

  // A coarser detail level drops short branches, from the cached search.
  const slider = page.getByLabel('Shortest branch kept');
  await slider.fill('30');
  await expect.poll(async () => (await doc()).neurons[0].branches.length).toBeLessThan(fine);
  await expect(page.getByTestId('autotrace-detail')).toHaveText('30');
  await page.screenshot({ path: join(ROOT, 'test-results', 'autotrace-one-click.png') });

  // One undo step removes the trace with all its re-prunings.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(0);

  // A click on the background, no neurite within reach, traces nothing: it says so and adds no empty neuron.
  await clickImage(page, 12, 1012);
  await expect(page.getByRole('region', { name: 'Automatic tracing' })).toContainText('No neuron found here.', { timeout: 30_000 });
  expect((await doc()).neurons).toEqual([]);
  await expect(page.getByRole('region', { name: 'Neurons' })).toContainText('Trace a cell automatically (A), or place a soma (S) and trace by hand (T).');

  // The whole field: progress is shown while the worker runs, then every neuron of the sample is there.
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect(page.getByTestId('autotrace-progress')).toBeVisible();
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 60_000 }).toBe(truth.document.neurons.length);
  await expect(page.getByRole('list', { name: 'Traced neurons awaiting review' }).getByRole('listitem')).toHaveCount(truth.document.neurons.length);
  // The same plane again: its foreground and distances were kept, only the search ran (and the status says so).
  expect((await auto()).lastReused).toBe(true);
  await expect(page.getByTestId('autotrace-status')).toHaveAttribute('title', /foreground and distances were reused/);
  await page.screenshot({ path: join(ROOT, 'test-results', 'autotrace-field.png') });

  // Discard all of them; detect again, discard one and accept the others at once.
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await page.getByRole('button', { name: 'Discard all' }).click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(0);
  await expect(review).toHaveCount(0);
  // One undo brings all of them back (as ordinary neurons), one redo discards them again.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(truth.document.neurons.length);
  await page.getByRole('button', { name: 'Redo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(0);
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect(review.getByRole('listitem')).toHaveCount(truth.document.neurons.length, { timeout: 60_000 });
  await review.getByRole('button', { name: 'Discard' }).first().click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(truth.document.neurons.length - 1);
  // Every dendrite of the sample is stained all along and apart from the other cells': nothing is drawn dotted.
  expect((await debug(page, (d) => d.autotrace())).doubtful).toBe(0);
  await expect(page.getByTestId('autotrace-status')).not.toContainText('uncertain');
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect(review).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Accept all' })).toHaveCount(0);
  // Accepted, they stay as they are when the detail changes (the slider re-prunes only what awaits review).
  const accepted = JSON.stringify((await doc()).neurons);
  await page.getByLabel('Shortest branch kept').fill('20');
  await page.waitForTimeout(300);
  expect(JSON.stringify((await doc()).neurons)).toBe(accepted);
  expect((await doc()).neurons.length).toBe(truth.document.neurons.length - 1);
});

/**
 * The bundled sample's field with 8 dendrites of each cell unstained for 11 px (as a beaded or out-of-focus dendrite
 * is), written as the sample is: where the trace crosses a break, it is unsure of the path.
 */
function fieldWithBreaks(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ramify-breaks-')), 'sample-breaks.tif');
  writeFileSync(file, sampleTiff(syntheticNeurons({ seed: SAMPLE_SEED, breaks: 8, breakPx: 11 })));
  return file;
}

const NEURITES = sharedData('micrographs/neuronj/neurites.tif');

test('once the Auto tool has been chosen, an image opened with another tool is read ahead too, also after a restart; one traced by hand before never is', async ({ app }) => {
  test.skip(!NEURITES, "NeuronJ's neurites.tif is not on this machine");
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  // Before the tool is first chosen nothing is read ahead: a session traced by hand spends nothing on it.
  await page.waitForTimeout(500);
  expect(await debug(page, (d) => d.autotracePreparedFile())).toBeNull();
  await chooseAutoTool(page);
  expect(await debug(page, (d) => d.autotracePrepared())).toBe(true);
  expect(await debug(page, (d) => d.autotracePreparedFile())).toBe('sample-neurons.tif');
  // The next day (the app started again, nothing left unsaved): the first image is read as it opens, the tool not
  // chosen yet, so that a click made as soon as it is chosen only searches (it waited for the whole plane to be read).
  await page.reload();
  await waitForImage(page, 'sample-neurons.tif');
  expect(await debug(page, (d) => d.tool())).toBe('navigate');
  await expect.poll(() => debug(page, (d) => d.autotracePreparedFile())).toBe('sample-neurons.tif');
  expect(await debug(page, (d) => d.autotracePrepared())).toBe(true);
  // Corrections with the Edit tool, then the next image: it is read as it opens.
  await page.getByRole('button', { name: 'Edit', description: 'Select and edit' }).click();
  await openByDialog(app, NEURITES!);
  await expect.poll(() => debug(page, (d) => d.autotracePreparedFile())).toBe('neurites.tif');
  expect(await debug(page, (d) => d.autotracePrepared())).toBe(true);
  // Back on Auto, the click finds the plane read: it only searches.
  await chooseAutoTool(page);
  await clickImage(page, 113.5, 336.5);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  expect((await debug(page, (d) => d.autotrace())).lastReused).toBe(true);
});

test('Uncertain paths checked one after another: U selects the next and centres it, Keep draws it solid, Delete removes it; a neuron named in the review list is framed', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await openByDialog(app, fieldWithBreaks());
  await waitForImage(page, 'sample-breaks.tif');
  await chooseAutoTool(page);
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  const doc = () => debug(page, (d) => d.doc());
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 60_000 }).toBe(truth.document.neurons.length);
  const auto = () => debug(page, (d) => d.autotrace());
  const before = await auto();
  expect(before.doubtful).toBeGreaterThan(1);
  const n = before.doubtful;
  // In the order the Neurons panel lists them: neuron by neuron, each neuron's paths in order.
  const order = (await doc()).neurons.flatMap((nr) => nr.branches.map((b) => b.id)).filter((id) => before.uncertain.includes(id));
  const selected = async () => ((await debug(page, (d) => d.selection())) as { kind: string; branchId?: number } | null)?.branchId;

  await page.keyboard.press('u');
  expect(await selected()).toBe(order[0]);
  // This field's paths are in doubt where they cross a break: the first is, and the panel says the gap is ringed.
  const spot = before.spots.find((p) => p.branchId === order[0])!;
  expect(spot).toMatchObject({ doubt: 'gap' });
  await expect(page.getByTestId('autotrace-doubt')).toContainText(`Uncertain path 1 of ${n}: crosses a dark gap (ringed in blue)`);
  // The gap is in the middle of the view, and the whole path and the node it starts from are on screen.
  const d0 = await doc();
  const branch = d0.neurons.flatMap((nr) => nr.branches).find((b) => b.id === order[0])!;
  const start = branch.parent.kind === 'node' ? [d0.neurons.flatMap((nr) => nr.branches.flatMap((b) => b.nodes)).find((p) => p.id === (branch.parent as { nodeId: number }).nodeId)!] : [];
  const centre = await toPage(page, spot.x, spot.y);
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  expect(Math.abs(centre.x - (box.x + box.width / 2))).toBeLessThan(1);
  expect(Math.abs(centre.y - (box.y + box.height / 2))).toBeLessThan(1);
  for (const p of [...branch.nodes, ...start]) {
    const q = await toPage(page, p.x, p.y);
    expect(q.x > box.x && q.x < box.x + box.width && q.y > box.y && q.y < box.y + box.height).toBe(true);
  }
  // Pixels: a white ring 11 screen px round the gap while the path is in doubt (the selected path drawn over it in
  // places); none once it is kept.
  const ring = async (png: Buffer) => {
    const img = decode(png);
    const white = Array.from({ length: 24 }, (_, k) => {
      const x = Math.round(centre.x + 11 * Math.cos((k * Math.PI) / 12));
      const y = Math.round(centre.y + 11 * Math.sin((k * Math.PI) / 12));
      const i = (y * img.width + x) * img.channels;
      return [0, 1, 2].every((c) => Number(img.data[i + c]) > 200);
    });
    return white.filter(Boolean).length;
  };
  const ringed = await page.screenshot({ path: test.info().outputPath('autotrace-uncertain.png') });
  expect(await ring(ringed)).toBeGreaterThanOrEqual(14);
  // The path being checked has its places ringed a second time, in blue 16 px round them; another path's have not.
  const blue = (png: Buffer, at: { x: number; y: number }) => {
    const img = decode(png);
    return Array.from({ length: 24 }, (_, k) => {
      const x = Math.round(at.x + 16 * Math.cos((k * Math.PI) / 12));
      const y = Math.round(at.y + 16 * Math.sin((k * Math.PI) / 12));
      const i = (y * img.width + x) * img.channels;
      const [r, g, b] = [0, 1, 2].map((c) => Number(img.data[i + c]));
      return b > 200 && g > 150 && r < 150;
    }).filter(Boolean).length;
  };
  expect(blue(ringed, centre)).toBeGreaterThanOrEqual(14);
  const others = await Promise.all(before.spots.filter((p) => p.branchId !== order[0] && Math.hypot(p.x - spot.x, p.y - spot.y) > 40).map((p) => toPage(page, p.x, p.y)));
  const shownOthers = others.filter((q) => q.x > box.x + 20 && q.x < box.x + box.width - 20 && q.y > box.y + 20 && q.y < box.y + box.height - 20);
  expect(shownOthers.length).toBeGreaterThan(0);
  for (const q of shownOthers) {
    expect(blue(ringed, q)).toBeLessThanOrEqual(2);
  }

  // Keep: looked at and right, drawn solid; the count drops by one and the next U shows what followed it.
  await page.getByRole('group', { name: 'Uncertain paths' }).getByRole('button', { name: 'Keep' }).click();
  expect((await auto()).uncertain).not.toContain(order[0]);
  await expect.poll(async () => ring(await page.screenshot())).toBeLessThanOrEqual(2);
  expect(blue(await page.screenshot(), centre)).toBeLessThanOrEqual(2);
  await expect(page.getByTestId('autotrace-status')).toContainText(`${n - 1} uncertain path`);
  await page.keyboard.press('u');
  expect(await selected()).toBe(order[1]);
  await expect(page.getByTestId('autotrace-doubt')).toContainText(`Uncertain path 1 of ${n - 1}: `);

  // Delete: the path goes (an ordinary edit, one undo step); the neurons stay.
  const paths = (await doc()).neurons.reduce((k, nr) => k + nr.branches.length, 0);
  await page.keyboard.press('Delete');
  await expect.poll(async () => (await doc()).neurons.flatMap((nr) => nr.branches).some((b) => b.id === order[1])).toBe(false);
  expect((await doc()).neurons.length).toBe(truth.document.neurons.length);
  expect((await doc()).neurons.reduce((k, nr) => k + nr.branches.length, 0)).toBeLessThan(paths);
  expect((await auto()).uncertain).not.toContain(order[1]);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await doc()).neurons.reduce((k, nr) => k + nr.branches.length, 0)).toBe(paths);

  // A neuron's name in the review list selects it and fits the view to it: the whole neuron on screen, closer than the
  // whole field.
  await page.keyboard.press('0');
  const fitted = (await debug(page, (d) => d.camera())).scale;
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  const second = (await doc()).neurons[1];
  await review.getByRole('button', { name: second.name, exact: true }).click();
  expect(await debug(page, (d) => d.selection())).toEqual({ kind: 'neuron', neuronId: second.id });
  expect((await debug(page, (d) => d.camera())).scale).toBeGreaterThan(fitted);
  const cam = await debug(page, (d) => d.camera());
  const onScreen = second.branches.flatMap((b) => b.nodes).map((p) => ({ x: p.x * cam.scale + cam.x, y: p.y * cam.scale + cam.y }));
  expect(onScreen.filter((q) => q.x < 0 || q.x > box.width || q.y < 0 || q.y > box.height)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('autotrace-review-neuron.png') });
});

/** The bundled sample's field, its channels changed by `edit`, written as the sample is under `name`. */
function sampleVariant(name: string, edit: (channels: Uint16Array[], width: number) => Uint16Array[]): string {
  const sample = syntheticNeurons({ seed: SAMPLE_SEED });
  sample.channels = edit(sample.channels, sample.width) as typeof sample.channels;
  const file = join(mkdtempSync(join(tmpdir(), 'ramify-variant-')), name);
  writeFileSync(file, sampleTiff(sample));
  return file;
}

/**
 * Opens `file`, detects its neurons and expects the sample's four cells: each with the truth's primary dendrites and
 * its paths (one per tip) within 2 of the truth's (the raw sample itself traces two fewer on one cell).
 */
async function detectExpectingTheSample(app: Harness, file: string, screenshot: string) {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await openByDialog(app, file);
  await waitForImage(page, file.split(/[\\/]/).pop() as string);
  await chooseAutoTool(page);
  await detectTheSample(page);
  await page.screenshot({ path: test.info().outputPath(screenshot) });
}

/** Clicks Detect neurons and expects the sample's four cells (see detectExpectingTheSample); returns the document's neurons. */
async function detectTheSample(page: Harness['page']) {
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await expect(review.getByRole('listitem')).toHaveCount(truth.document.neurons.length, { timeout: 60_000 });
  const traced = (await debug(page, (d) => d.doc())).neurons;
  for (const cell of truth.document.neurons) {
    const at = cell.soma as { x: number; y: number };
    const mine = traced.find((n) => n.soma?.kind === 'point' && Math.hypot(n.soma.x - at.x, n.soma.y - at.y) < 5);
    expect(mine, `a neuron at (${at.x.toFixed(0)}, ${at.y.toFixed(0)})`).toBeDefined();
    expect(mine!.branches.filter((b) => b.parent.kind === 'soma').length).toBe(cell.branches.filter((b) => b.parent.kind === 'soma').length);
    expect(Math.abs(mine!.branches.length - cell.branches.length)).toBeLessThanOrEqual(2);
  }
  return traced;
}

test('Detect neurons on the sample with its background subtracted (half the pixels 0) finds its four cells and their dendrites, not a web of noise specks', async ({ app }) => {
  // The neurite channel's median taken off and clipped at 0, as Fiji's Subtract Background or an applied display range
  // leaves it. Before the background was read under the clip (foreground.ts backgroundLevel), every pixel above 0 was
  // foreground: 5 cells, one of them a speck, and 4,500 branches through the noise.
  const file = sampleVariant('sample-subtracted.tif', ([plane, nuclei]) => {
    const median = Uint16Array.from(plane).sort()[plane.length >> 1];
    return [plane.map((v) => Math.max(0, v - median)), nuclei];
  });
  await detectExpectingTheSample(app, file, 'autotrace-subtracted.png');
});

test('Detect neurons on the sample with a display minimum set over an uneven illumination (its dim side all 0) finds its four cells and their dendrites', async ({ app }) => {
  // The background brighter to the right (180 at the left edge, about 290 at the right), then everything under 260 set
  // to 0: the left third of the field all 0 but for the neurites, the right side clipped in part (64 % of the px at
  // 0). Before the noise was read where it shows (foreground.ts backgroundLevel), its σ read 0, a third of the field
  // passed as foreground and one cell took 17 branches more than the truth.
  const file = sampleVariant('sample-display-minimum.tif', ([plane, nuclei], width) => [plane.map((v, i) => Math.max(0, Math.round(v + (60 * (i % width)) / width) - 260)), nuclei]);
  await detectExpectingTheSample(app, file, 'autotrace-display-minimum.png');
});

test('cells beside twins of theirs (bodies 12 µm apart): a click on a twin traces that cell body, and Detect lists all eight cells', async ({ app }) => {
  // The sample's field and a copy of it shifted along the diagonal, the brighter of the two at each px (both channels):
  // every cell has a twin whose body sits beside its own. Before, each body's compactness circle crossed its twin's:
  // Detect found no cell body at all and traced the field as fibres, and a click started a fibre at the body's centre.
  const d = Math.round(12 / (truth.document.calibration?.pixelWidth ?? 0.325) / Math.SQRT2);
  const file = sampleVariant('sample-twins.tif', (channels, width) =>
    channels.map((plane) => plane.map((v, i) => (i % width >= d && i >= d * width ? Math.max(v, plane[i - d - d * width]) : v))),
  );
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await openByDialog(app, file);
  await waitForImage(page, 'sample-twins.tif');
  const doc = () => debug(page, (dbg) => dbg.doc());
  await chooseAutoTool(page);
  await clickImage(page, soma.x + d, soma.y + d);
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(1);
  const clicked = (await doc()).neurons[0];
  expect(clicked.soma?.kind).toBe('point');
  const at = clicked.soma as { x: number; y: number };
  expect(Math.hypot(at.x - soma.x - d, at.y - soma.y - d)).toBeLessThan(3);
  expect(clicked.branches.filter((b) => b.parent.kind === 'soma').length).toBeGreaterThanOrEqual(2);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(0);

  await page.getByRole('button', { name: 'Detect neurons' }).click();
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await expect(review.getByRole('listitem')).toHaveCount(2 * truth.document.neurons.length, { timeout: 60_000 });
  const traced = (await doc()).neurons;
  for (const cell of truth.document.neurons) {
    const body = cell.soma as { x: number; y: number };
    for (const [x, y] of [
      [body.x, body.y],
      [body.x + d, body.y + d],
    ]) {
      const mine = traced.filter((n) => n.soma?.kind === 'point' && Math.hypot(n.soma.x - x, n.soma.y - y) < 5);
      expect(mine, `one neuron at (${x.toFixed(0)}, ${y.toFixed(0)})`).toHaveLength(1);
    }
  }
  await page.screenshot({ path: test.info().outputPath('autotrace-twins.png') });
});

/** The sample with the middle of each cell body (0.6 of its radius) in channel 1 at the background: a MAP2 stain's dark nuclei. */
function darkNucleiChannels([plane, nuclei]: Uint16Array[], width: number): Uint16Array[] {
  const background = Uint16Array.from(plane).sort()[plane.length >> 1];
  const dark = Uint16Array.from(plane);
  for (const cell of truth.document.neurons) {
    const { x, y, r } = cell.soma as { x: number; y: number; r: number };
    for (let i = 0; i < dark.length; i++) if (Math.hypot((i % width) + 0.5 - x, Math.floor(i / width) + 0.5 - y) <= 0.6 * r) dark[i] = background;
  }
  return [dark, nuclei];
}

/** Opens `file` with the Auto tool and runs Detect, which says it found no cell body; returns the page. */
async function detectFindingNoCellBody(app: Harness, file: string) {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await openByDialog(app, file);
  await waitForImage(page, basename(file));
  await chooseAutoTool(page);
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect(page.getByTestId('autotrace-message')).toContainText('No cell body in the field', { timeout: 60_000 });
  return page;
}

test('cell bodies with nuclei as dark as the background: Detect finds none and points to the nuclear stain; with Cell bodies on the nuclei of channel 2 it finds the four cells', async ({ app }) => {
  // A stain of the cytoplasm (MAP2) leaves each nucleus dark: the bodies read as rings, no deeper than a neurite.
  const page = await detectFindingNoCellBody(app, sampleVariant('sample-dark-nuclei.tif', darkNucleiChannels));
  const panel = page.getByRole('region', { name: 'Automatic tracing' });
  // Channel 2 holds the sample's nuclei: it is named.
  await expect(page.getByTestId('autotrace-message')).toContainText('Channel 2 looks like a nuclear stain: choose it under Cell bodies, and a cell body whose nucleus is dark is found.');
  await page.screenshot({ path: test.info().outputPath('autotrace-dark-nuclei-hint.png') });
  await page.getByRole('button', { name: 'Discard all' }).click();
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(0);

  await expect(panel.getByLabel('Cell bodies').locator('option')).toHaveText(['any compact blob', 'on the nuclei of channel 2']);
  await panel.getByLabel('Cell bodies').selectOption({ label: 'on the nuclei of channel 2' });
  const traced = await detectTheSample(page);
  for (const n of traced) expect(n.auto?.parameters).toMatchObject({ channel: 0, nucleusChannel: 1 });
  await expect(page.getByTestId('autotrace-message')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('autotrace-dark-nuclei.png') });

  // Undone, a click on a hollow body traces that cell from its body, not a fibre from its middle.
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(0);
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  const clicked = (await debug(page, (d) => d.doc())).neurons[0];
  expect(clicked.soma?.kind).toBe('point');
  expect(Math.hypot((clicked.soma as { x: number }).x - soma.x, (clicked.soma as { y: number }).y - soma.y)).toBeLessThan(3);
  expect(clicked.branches.filter((b) => b.parent.kind === 'soma').length).toBe(truthPrimaries);
});

test('cell bodies with dark nuclei on an image whose second channel stains no nuclei: Detect says what Cell bodies is for, and names no channel', async ({ app }) => {
  const file = sampleVariant('sample-no-nuclear-stain.tif', (channels, width) => {
    const [dark] = darkNucleiChannels(channels, width);
    return [dark, Uint16Array.from(dark)];
  });
  const page = await detectFindingNoCellBody(app, file);
  await expect(page.getByTestId('autotrace-message')).toContainText('If a channel stains nuclei, choose it under Cell bodies: a cell body whose nucleus is dark is then found.');
  await expect(page.getByTestId('autotrace-message')).not.toContainText('looks like a nuclear stain');
});

/** A project of two copies of the sample with dark nuclei (vehicle/veh_01.tif, veh_02.tif), its first image open. */
async function darkNucleiProject(app: Harness) {
  const root = mkdtempSync(join(tmpdir(), 'ramify-batch-nuclei-'));
  mkdirSync(join(root, 'vehicle'));
  const file = sampleVariant('dark.tif', darkNucleiChannels);
  for (const name of ['veh_01.tif', 'veh_02.tif']) copyFileSync(file, join(root, 'vehicle', name));
  const page = await projectFromFolder(app, root, 2);
  await waitForImage(page, 'veh_01.tif');
  return { root, page };
}

test('Auto-trace all images on cell bodies with dark nuclei, no nuclear stain chosen: the notice says no cell body was found and names the channel that looks like one; chosen, the batch traces them again', async ({ app }) => {
  const { root, page } = await darkNucleiProject(app);
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText(
    'Traced 2 images automatically; they await review. No cell body was found on any of them; channel 2 looks like a nuclear stain, on which cell bodies whose nucleus is dark are found. Choose it under Automatic tracing ▸ Cell bodies and run Auto-trace all images again: the images no one has checked are traced again.',
    { timeout: 60_000 },
  );
  await page.screenshot({ path: test.info().outputPath('autotrace-batch-no-cell-body.png') });
  // Told, the technician chooses the nuclear stain and runs it again: the unchecked traces are made again with it,
  // and the image on screen shows the new one under review.
  await chooseAutoTool(page);
  await page.getByRole('region', { name: 'Automatic tracing' }).getByLabel('Cell bodies').selectOption({ label: 'on the nuclei of channel 2' });
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText(
    'Traced 2 images automatically again with the settings chosen since (nobody had checked their earlier trace); they await review.',
    { timeout: 60_000 },
  );
  for (const f of readdirSync(join(root, 'annotations')).filter((n) => n.endsWith('.ramify.json'))) {
    const neurons = parseAnnotation(readFileSync(join(root, 'annotations', f), 'utf8')).document.neurons;
    expect(neurons.filter((n) => n.soma?.kind === 'point')).toHaveLength(truth.document.neurons.length);
    expect(neurons.map((n) => n.auto?.parameters.nucleusChannel)).toEqual(neurons.map(() => 1));
  }
  await expect(page.getByRole('list', { name: 'Traced neurons awaiting review' }).getByRole('listitem')).toHaveCount(truth.document.neurons.length, { timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath('autotrace-batch-again.png') });
  rmSync(root, { recursive: true, force: true });
});

test('Auto-trace all images with Cell bodies on the nuclei of channel 2: each file records the nuclear channel, and the review on open reads it', async ({ app }) => {
  const { root, page } = await darkNucleiProject(app);
  await chooseAutoTool(page);
  await page.getByRole('region', { name: 'Automatic tracing' }).getByLabel('Cell bodies').selectOption({ label: 'on the nuclei of channel 2' });
  await expect(page.getByRole('button', { name: 'Auto-trace all images' })).toHaveAttribute('title', 'Trace every image without annotations automatically: channel 1 (cell bodies on the nuclei of channel 2), shortest branch 5 µm. They are marked for review');
  // The slider moved just before the click: the batch traces at its level, not at the one the project had.
  await page.getByLabel('Shortest branch kept').fill('6');
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText('Traced 2 images automatically; they await review.', { timeout: 60_000 });
  const files = readdirSync(join(root, 'annotations')).filter((f) => f.endsWith('.ramify.json'));
  expect(files).toHaveLength(2);
  for (const f of files) {
    const neurons = parseAnnotation(readFileSync(join(root, 'annotations', f), 'utf8')).document.neurons;
    expect(neurons.filter((n) => n.soma?.kind === 'point')).toHaveLength(truth.document.neurons.length);
    expect(neurons.map((n) => n.auto?.parameters.nucleusChannel)).toEqual(neurons.map(() => 1));
    // 6 µm at the sample's 0.325 µm per px, to 3 decimals.
    expect(neurons.map((n) => n.auto?.parameters.minBranchPx)).toEqual(neurons.map(() => 18.462));
  }
  expect(parseProject(readFileSync(join(root, PROJECT_FILE_NAME), 'utf8')).tracing).toEqual({ channel: 0, nucleusChannel: 1, minBranchUm: 6 });
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await expect(review.getByRole('listitem')).toHaveCount(truth.document.neurons.length, { timeout: 30_000 });
  // Back on any compact blob, the next image still opens under review, traced again on its nuclei as its file says.
  await page.getByRole('region', { name: 'Automatic tracing' }).getByLabel('Cell bodies').selectOption({ label: 'any compact blob' });
  await page.getByTestId('project-images').locator('li').nth(1).click();
  await waitForImage(page, 'veh_02.tif');
  await expect(review.getByRole('listitem')).toHaveCount(truth.document.neurons.length, { timeout: 30_000 });
  await expect(page.getByTestId('autotrace-message')).toHaveCount(0);
  rmSync(root, { recursive: true, force: true });
});

test('Detect neurons on the sample with a black margin and corner (a rotated picture) finds its four cells and their dendrites', async ({ app }) => {
  // A 16 px margin on the left and a corner at the bottom left, black in both channels, as a rotation or a
  // registration leaves them. Before the margin was left out (image-field.ts), the blocks beside it read 0 as their
  // background and a band of the field a block wide passed as foreground: a fifth cell in the corner, one cell traced
  // with 17 of its 25 branches.
  const file = sampleVariant('sample-rotated.tif', (channels, width) => {
    const outside = (i: number) => i % width < 16 || Math.floor(i / width) > (i % width) + 900;
    return channels.map((plane) => plane.map((v, i) => (outside(i) ? 0 : v)));
  });
  await detectExpectingTheSample(app, file, 'autotrace-black-margin.png');
});

test('Detect neurons on the sample with a scale bar and a dead cell burned in at 65535 finds its four cells and their dendrites', async ({ app }) => {
  // Saturated specks: before the floor on the noise was read from the signal's 99th percentile rather than the top
  // (foreground.ts signalScale), such a speck tripled every threshold.
  const file = sampleVariant('sample-scale-bar.tif', ([plane, nuclei], width) => {
    const height = plane.length / width;
    const burned = (x: number, y: number) => (y >= height - 30 && y < height - 22 && x >= width - 140 && x < width - 20) || (x - 486) ** 2 + (y - 46) ** 2 <= 36;
    return [plane.map((v, i) => (burned(i % width, Math.floor(i / width)) ? 65535 : v)), nuclei];
  });
  await detectExpectingTheSample(app, file, 'autotrace-scale-bar.png');
});

test('Auto tool on an image larger than one trace reads: a click traces the window around it, Detect asks to zoom in, then traces what is on screen', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  // The sample read as a slide scan would be (tiled), with a 700 × 700 px budget for one automatic trace and a first
  // window of 300 × 300 px around a click.
  await openSampleAsSlideScan(app, { 'ramify.autoTraceMaxPixels': 700 * 700, 'ramify.autoTraceFirstPixels': 300 * 300 });
  const doc = () => debug(page, (d) => d.doc());
  const panel = page.getByRole('region', { name: 'Automatic tracing' });

  // The fourth cell (soma near the lower right corner) runs past 300 × 300 and 600 × 600 px windows around the click:
  // its trace ends in the 700 × 700 px from (324, 324), the budget.
  const cell = truth.document.neurons[3];
  const at = cell.soma as { x: number; y: number };
  await chooseAutoTool(page);
  await clickImage(page, at.x, at.y);
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(1);
  await expect(panel.getByText('Traced 1 neuron in the 700 × 700 px around the click, the most one automatic trace reads: the cell may go on past it.')).toBeVisible();
  // Cut by the largest window: a warning.
  await expect(page.getByTestId('autotrace-message')).toHaveClass(/warning/);
  const traced = (await doc()).neurons[0];
  // Back in the image's px: the cell body under the click, the tree over this cell's own dendrites.
  const body = traced.soma as { x: number; y: number };
  expect(Math.hypot(body.x - at.x, body.y - at.y)).toBeLessThan(4);
  expect(traced.branches.filter((b) => b.parent.kind === 'soma').length).toBe(cell.branches.filter((b) => b.parent.kind === 'soma').length);
  const truthNodes = cell.branches.flatMap((b) => b.nodes);
  const nodes = traced.branches.flatMap((b) => b.nodes);
  const [x0, x1] = [Math.min(...truthNodes.map((p) => p.x)) - 25, Math.max(...truthNodes.map((p) => p.x)) + 25];
  const [y0, y1] = [Math.min(...truthNodes.map((p) => p.y)) - 25, Math.max(...truthNodes.map((p) => p.y)) + 25];
  expect(nodes.filter((p) => p.x < x0 || p.x > x1 || p.y < y0 || p.y > y1)).toEqual([]);
  expect(Math.min(...nodes.map((p) => Math.min(p.x, p.y)))).toBeGreaterThanOrEqual(324);
  // The detail slider re-prunes the window's trace, still in the image's px.
  await page.getByLabel('Shortest branch kept').fill('30');
  await expect.poll(async () => (await doc()).neurons[0].branches.length).toBeLessThan(traced.branches.length);
  const pruned = (await doc()).neurons[0];
  expect(Math.hypot((pruned.soma as { x: number }).x - body.x, (pruned.soma as { y: number }).y - body.y)).toBe(0);
  await page.screenshot({ path: join(ROOT, 'test-results', 'autotrace-window.png') });
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(0);

  // Detect with the whole image on screen (1.0 MP, more than 0.49): a message saying what to do, nothing traced.
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect(panel.getByText('Detect neurons reads up to 0.5 MP at a time and the view shows 1.0 MP of this 1024 × 1024 image (1.0 MP): zoom in on the part to detect, or click a cell body to trace it alone.')).toBeVisible();
  expect((await doc()).neurons.length).toBe(0);

  // Zoomed in: Detect traces the part on screen; every cell body it reports is in view.
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  const cam = await debug(page, (d) => d.camera());
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  const view = { x: -cam.x / cam.scale, y: -cam.y / cam.scale, width: box.width / cam.scale, height: box.height / cam.scale };
  expect(view.width * view.height).toBeLessThanOrEqual(700 * 700);
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect(panel.getByText(/^Traced \d+ neurons? in the \d+ × \d+ px on screen \(this 1024 × 1024 image is more than one automatic trace reads\)\.$/)).toBeVisible({ timeout: 30_000 });
  // What was on screen was traced as asked: a note, not a warning.
  await expect(page.getByTestId('autotrace-message')).toHaveClass(/muted/);
  const found = (await doc()).neurons;
  expect(found.length).toBeGreaterThan(0);
  for (const n of found) {
    const c = n.soma as { x: number; y: number };
    expect(c.x).toBeGreaterThanOrEqual(Math.floor(view.x));
    expect(c.x).toBeLessThanOrEqual(Math.ceil(view.x + view.width));
    expect(c.y).toBeGreaterThanOrEqual(Math.floor(view.y));
    expect(c.y).toBeLessThanOrEqual(Math.ceil(view.y + view.height));
  }
  await page.screenshot({ path: join(ROOT, 'test-results', 'autotrace-detect-on-screen.png') });
});

/** A project of three one-neuron synthetic fields (vehicle/veh_01–03.tif), created through the UI; veh_01 opens. */
async function syntheticProject(app: Harness, prefix: string) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, 'vehicle'));
  const fields = [1, 2, 3].map((i) => syntheticNeurons({ seed: 300 + i, width: 384, height: 384, neurons: 1 }));
  fields.forEach((s, k) => {
    const tiff = encodeTiff({ width: s.width, height: s.height, planes: s.channels, bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', imagejDescription: imagejDescription({ channels: 2, unit: 'micron', pixelWidth: 0.5 }), resolution: { x: 2, y: 2, unit: 'none' } });
    writeFileSync(join(root, 'vehicle', `veh_0${k + 1}.tif`), tiff);
  });
  const page = await projectFromFolder(app, root, 3);
  return { root, page, fields };
}

/** The app started, then a project made of the folder `root` (its `images` images). */
async function projectFromFolder(app: Harness, root: string, images: number) {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  app.dialogAnswers.push(root);
  await page.getByRole('button', { name: 'Project ▾' }).click();
  await page.getByRole('menuitem', { name: 'New project from folder…' }).click();
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByTestId('project-images').locator('li')).toHaveCount(images);
  return page;
}

/** A project of two copies of `image` (vehicle/veh_01.tif, veh_02.tif) traced by Auto-trace all images, the first open. */
async function batchTracedCopies(app: Harness, prefix: string, image = SAMPLE) {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, 'vehicle'));
  for (const name of ['veh_01.tif', 'veh_02.tif']) copyFileSync(image, join(root, 'vehicle', name));
  const page = await projectFromFolder(app, root, 2);
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText('Traced 2 images automatically; they await review.', { timeout: 60_000 });
  await waitForImage(page, 'veh_01.tif');
  return { root, page };
}

test('Project: "Auto-trace all images" traces the untouched images in a worker with progress, leaves the rest alone', async ({ app }) => {
  const { root, page } = await syntheticProject(app, 'ramify-autotrace-project-');

  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('project-autotrace-progress')).toBeVisible();
  await expect(page.getByTestId('notice').locator('span')).toHaveText('Traced 3 images automatically; they await review.', { timeout: 60_000 });
  await expect(page.getByTestId('project-images').locator('.count')).toHaveText(['1', '1', '1']);
  // The image on screen was traced too: its trace is loaded, not hidden behind the empty document opened before.
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(1);
  // And it awaits review on screen (two channels: the first traced, as by the batch).
  await expect(page.getByRole('list', { name: 'Traced neurons awaiting review' }).getByRole('listitem')).toHaveCount(1, { timeout: 30_000 });
  const files = readdirSync(join(root, 'annotations')).filter((f) => f.endsWith('.ramify.json'));
  expect(files.length).toBe(3);
  for (const f of files) {
    const a = parseAnnotation(readFileSync(join(root, 'annotations', f), 'utf8'));
    expect(a.review.status).toBe('ready-for-review');
    expect(a.document.neurons[0].auto?.tracer).toBe('ramify-app2 38');
  }
  // A second run with the same settings finds nothing to do: its own traces await their check.
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText('Nothing to trace: 3 images traced automatically and not checked yet.');
  await page.screenshot({ path: join(ROOT, 'test-results', 'autotrace-project.png') });
});

test('an image traced by "Auto-trace all images" opens under review: the slider, Not a cell and undo work on the saved trace; nothing is written until the review ends, then the review is recorded', async ({ app }) => {
  const { root, page } = await batchTracedCopies(app, 'ramify-batch-review-');

  const doc = () => debug(page, (d) => d.doc());
  const paths = async () => (await doc()).neurons.map((n) => n.branches.length);
  // Both images are the same sample: their files are told apart by the project's list, not by what they hold.
  const annotationOf = (name: string) => parseProject(readFileSync(join(root, PROJECT_FILE_NAME), 'utf8')).images.find((i) => i.path.endsWith(name))!.annotation!;
  const names = ['veh_01.tif', 'veh_02.tif'];
  const savedFile = () => names.map((n) => readFileSync(join(root, annotationOf(n)), 'utf8'));
  const before = savedFile();
  // The image on screen: its four neurons as the batch saved them, each awaiting review, no change made.
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  const saved = await doc();
  const file = before.map((t) => parseAnnotation(t).document).find((d) => d.neurons.length === 4 && JSON.stringify(d.neurons) === JSON.stringify(saved.neurons));
  expect(file).toBeDefined();
  await expect(page.getByTestId('autotrace-detail')).toHaveText('5');
  await expect(page.getByTestId('autotrace-project-detail')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath('batch-review-opened.png') });

  // The slider re-prunes the saved neurons; Not a cell gives a cell's branches to its neighbours. One undo each gives
  // the saved neurons back, still under review (traced again: the undo took back the worker's correction too).
  const saving = await paths();
  await page.getByLabel('Shortest branch kept').fill('20');
  await expect.poll(async () => (await paths()).reduce((a, b) => a + b, 0)).toBeLessThan(saving.reduce((a, b) => a + b, 0));
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons).toEqual(saved.neurons);
  await expect(page.getByTestId('autotrace-detail')).toHaveText('5', { timeout: 30_000 });
  // The slider moved was the project's choice, which the document's undo does not take back: the panel says so.
  await expect(page.getByTestId('autotrace-project-detail')).toHaveText('This image is traced at 5 µm; the project traces its images at 20 µm.');
  await expect.poll(() => parseProject(readFileSync(join(root, PROJECT_FILE_NAME), 'utf8')).tracing?.minBranchUm).toBe(20);
  await expect(review.getByRole('listitem')).toHaveCount(4);
  await expect(page.getByTestId('autotrace-message')).toHaveCount(0);
  await review.getByRole('listitem').filter({ hasText: 'Neuron 2' }).getByRole('button', { name: 'Not a cell' }).click();
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(3);
  await expect(review.getByRole('listitem')).toHaveCount(3);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons).toEqual(saved.neurons);
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  // Not a cell works again on the review given back: the same correction as the first time, node for node.
  await review.getByRole('listitem').filter({ hasText: 'Neuron 2' }).getByRole('button', { name: 'Not a cell' }).click();
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(3);
  const corrected = (await doc()).neurons;
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  await page.getByRole('button', { name: 'Redo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons).toEqual(corrected);
  // The correction redone is still under review (before, it left the review). Tracing the field again gives Detect's
  // neurons: the two the correction did not change are found node for node, the one that took the cell's branches
  // is reviewed as it stands (accept or discard, no Not a cell).
  await expect(review.getByRole('listitem')).toHaveCount(3, { timeout: 30_000 });
  await expect(review.getByRole('button', { name: 'Not a cell' })).toHaveCount(2);
  await expect(review.getByRole('listitem').filter({ hasText: 'as saved' })).toHaveCount(1);
  expect((await doc()).neurons).toEqual(corrected);
  await page.getByRole('region', { name: 'Automatic tracing' }).screenshot({ path: test.info().outputPath('batch-review-redone.png') });
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  await expect(review.getByRole('button', { name: 'Not a cell' })).toHaveCount(4);
  // Nothing was written while the review went on: the files are the batch's, byte for byte.
  expect(savedFile()).toEqual(before);
  const rows = page.getByTestId('project-images').locator('li');
  const filters = page.getByTestId('queue-filters');
  await expect(rows.locator('.to-check')).toHaveText(['auto-traced, unchecked', 'auto-traced, unchecked']);
  await expect(filters.getByRole('button', { name: /^unchecked/ })).toHaveText('unchecked 2');
  // Not done until checked: the progress table counts neither image yet.
  const done = page.getByTestId('project-progress').locator('tbody tr').first().locator('td').nth(1);
  await expect(done).toHaveText('0/2');
  // Accepted, the saved neurons leave the review, and the review is recorded at once: the batch's "awaiting review"
  // note resolved in the file, the tracing and its history exactly the batch's. The Auto panel still offers a review.
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect(review).toHaveCount(0);
  await expect.poll(() => parseAnnotation(savedFile()[0]).review.comments[0].resolved ?? false).toBe(true);
  const was = parseAnnotation(before[0]);
  const reviewed = parseAnnotation(savedFile()[0]);
  expect(reviewed.document).toEqual(was.document);
  expect(reviewed.history).toEqual(was.history);
  expect(reviewed.review.comments).toEqual([{ ...was.review.comments[0], resolved: true, resolvedAt: expect.any(String) }]);
  expect(savedFile()[1]).toEqual(before[1]);
  // The project list: the first image checked, the second still to check.
  await expect(filters.getByRole('button', { name: /^unchecked/ })).toHaveText('unchecked 1');
  await expect(done).toHaveText('1/2');
  await expect(rows.nth(0).locator('.state')).toHaveText('ready for review · vehicle');
  await expect(rows.nth(1).locator('.to-check')).toHaveCount(1);
  await page.getByRole('button', { name: 'Auto', description: /trace its whole tree/ }).click();
  await page.getByRole('region', { name: 'Automatic tracing' }).screenshot({ path: test.info().outputPath('batch-review-offered.png') });
  await page.getByRole('button', { name: 'Review 4 traced neurons' }).click();
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  await expect.poll(async () => (await doc()).neurons).toEqual(saved.neurons);

  // The technician's queue: the unchecked images, the next one a click away; it opens under review too.
  await filters.getByRole('button', { name: /^unchecked/ }).click();
  await expect(rows.locator('.name')).toHaveText(['veh_02.tif']);
  await page.getByRole('button', { name: 'Next to review ▶' }).click();
  await waitForImage(page, 'veh_02.tif');
  await expect(rows.nth(0)).toHaveClass(/current/);
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  await page.screenshot({ path: test.info().outputPath('batch-review-second.png') });

  // The first image, reviewed, opens as ordinary work: its neurons as accepted, none awaiting review.
  await filters.getByRole('button', { name: /^all/ }).click();
  await rows.nth(0).click();
  await waitForImage(page, 'veh_01.tif');
  await expect.poll(async () => (await doc()).neurons).toEqual(saved.neurons);
  // A review would have started with the annotations (the worker then traces for a second or more).
  expect(await debug(page, (d) => d.autotrace())).toMatchObject({ busy: false, pending: [] });
  await expect(review).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('batch-reviewed-reopened.png') });
});

test('a batch-traced image reviewed from the keyboard: V shows each neuron, then each of its uncertain paths, then accepts it and shows the next; Shift+V leaves one for later; the last V records the review and says how many images are left; blinding switched on meanwhile, the review is still recorded', async ({ app }) => {
  const { root, page } = await batchTracedCopies(app, 'ramify-keyboard-review-', fieldWithBreaks());
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  const doc = () => debug(page, (d) => d.doc());
  const neurons = (await doc()).neurons;
  const selection = () => debug(page, (d) => d.selection());
  const shown = review.locator('li[aria-current="true"]');
  const uncertain = (await debug(page, (d) => d.autotrace())).uncertain;
  const ownOf = (k: number) => neurons[k].branches.map((b) => b.id).filter((id) => uncertain.includes(id));
  const own = ownOf(0);
  expect(own.length).toBeGreaterThan(2);
  await expect(page.getByTestId('autotrace-review-keys')).toHaveText('V shows the first neuron awaiting review.');
  await page.keyboard.press('0');
  const fitted = (await debug(page, (d) => d.camera())).scale;

  // V: the first neuron selected, framed and marked in the list, which counts its uncertain paths; nothing accepted.
  await page.keyboard.press('v');
  expect(await selection()).toEqual({ kind: 'neuron', neuronId: neurons[0].id });
  await expect(shown).toHaveCount(1);
  await expect(shown.locator('.label')).toHaveText(`${neurons[0].name} · ${neurons[0].branches.length} paths · ${own.length} uncertain`);
  // The path count says what it counts, as the Neurons list's does: Measurements' Branches are topological.
  await expect(shown.getByText(`${neurons[0].branches.length} paths`, { exact: true })).toHaveAttribute('title', 'Traced paths (the Branches count in Measurements is topological)');
  await expect(review.getByRole('listitem')).toHaveCount(4);
  expect((await debug(page, (d) => d.camera())).scale).toBeGreaterThan(fitted);
  await expect(page.getByTestId('autotrace-review-keys')).toHaveText('V shows the next uncertain path of the neuron shown; Shift+V leaves it for later.');
  await page.screenshot({ path: test.info().outputPath('keyboard-review.png') });

  // U from the neuron shown: its own first uncertain path; V goes on from there to the second. Kept (drawn solid), V
  // goes on to the third, the neuron still awaiting review.
  await page.keyboard.press('u');
  expect(await selection()).toEqual({ kind: 'branch', branchId: own[0] });
  await page.keyboard.press('v');
  expect(await selection()).toEqual({ kind: 'branch', branchId: own[1] });
  await expect(page.getByTestId('autotrace-doubt')).toContainText('Uncertain path 2 of');
  await page.getByRole('group', { name: 'Uncertain paths' }).getByRole('button', { name: 'Keep' }).click();
  await page.keyboard.press('v');
  expect(await selection()).toEqual({ kind: 'branch', branchId: own[2] });
  await expect(shown.getByRole('button', { name: neurons[0].name, exact: true })).toBeVisible();
  await expect(review.getByRole('listitem')).toHaveCount(4);

  // Shift+V leaves neuron 1 for later. Neuron 2: V on its first uncertain path, which is wrong: Delete. Corrected by
  // hand, neuron 2 leaves the review (accepted as corrected), and V still goes on through its other uncertain paths,
  // then shows neuron 3.
  await page.keyboard.press('Shift+V');
  expect(await selection()).toEqual({ kind: 'neuron', neuronId: neurons[1].id });
  await page.keyboard.press('v');
  expect(await selection()).toEqual({ kind: 'branch', branchId: ownOf(1)[0] });
  await page.keyboard.press('Delete');
  await expect(review.getByRole('listitem')).toHaveCount(3);
  const left = (await doc()).neurons[1].branches.map((b) => b.id);
  const rest = ownOf(1).filter((id) => left.includes(id));
  expect(rest.length).toBeGreaterThan(0);
  for (const id of rest) {
    await page.keyboard.press('v');
    expect(await selection()).toEqual({ kind: 'branch', branchId: id });
  }
  await page.keyboard.press('v');
  expect(await selection()).toEqual({ kind: 'neuron', neuronId: neurons[2].id });
  await expect(review.getByRole('listitem')).toHaveCount(3);
  // Neurons 3 and 4: each of their uncertain paths, then accepted; then back to neuron 1, left for later.
  for (let k = 0; k < ownOf(2).length + 1 + ownOf(3).length + 1; k++) await page.keyboard.press('v');
  await expect(review.getByRole('listitem')).toHaveCount(1);
  expect(await selection()).toEqual({ kind: 'neuron', neuronId: neurons[0].id });
  const annotation = join(root, parseProject(readFileSync(join(root, PROJECT_FILE_NAME), 'utf8')).images.find((i) => i.path.endsWith('veh_01.tif'))!.annotation!);
  // It goes on at its first uncertain path not shown yet: the 4th (the 1st, 2nd and 3rd were, the 2nd kept solid).
  expect(own.length).toBeGreaterThan(3);
  await page.keyboard.press('v');
  expect(await selection()).toEqual({ kind: 'branch', branchId: own[3] });
  for (let k = 4; k < own.length; k++) await page.keyboard.press('v');
  expect(await selection()).toEqual({ kind: 'branch', branchId: own[own.length - 1] });
  // Each of its uncertain paths seen, the panel says what the next V does.
  await expect(page.getByTestId('autotrace-review-keys')).toHaveText('V accepts the neuron shown: the last awaiting review.');
  expect(parseAnnotation(readFileSync(annotation, 'utf8')).review.comments[0].resolved).toBeFalsy();

  // The last V accepts neuron 1: the review is over and recorded, saved with the one path deleted.
  await page.keyboard.press('v');
  await expect(review).toHaveCount(0);
  await expect.poll(() => parseAnnotation(readFileSync(annotation, 'utf8')).review.comments[0].resolved ?? false).toBe(true);
  const savedNeurons = parseAnnotation(readFileSync(annotation, 'utf8')).document.neurons;
  expect(savedNeurons).toEqual((await doc()).neurons);
  expect(savedNeurons.map((n) => n.branches.length)).toEqual([neurons[0].branches.length, left.length, neurons[2].branches.length, neurons[3].branches.length]);
  expect(left.length).toBeLessThan(neurons[1].branches.length);
  await expect(page.getByTestId('notice').locator('span')).toHaveText('veh_01.tif checked and saved: 4 neurons. 1 auto-traced image still to check; Shift+N opens the next image to review.');
  // Shift+N: the next image, under review in turn.
  await page.keyboard.press('Shift+N');
  await waitForImage(page, 'veh_02.tif');
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  // Blinded, the notice names the image by its code, as the list does. (The same field: the same uncertain paths.)
  await page.getByLabel('Blind mode').click();
  await expect(page.getByTestId('file-name')).toHaveText(/^Image 00\d$/);
  const code = (await page.getByTestId('file-name').textContent())!;
  await expect(review.getByRole('listitem')).toHaveCount(4);
  const presses = 1 + [0, 1, 2, 3].reduce((sum, k) => sum + ownOf(k).length + 1, 0);
  for (let k = 0; k < presses; k++) await page.keyboard.press('v');
  await expect(review).toHaveCount(0);
  const second = join(root, parseProject(readFileSync(join(root, PROJECT_FILE_NAME), 'utf8')).images.find((i) => i.path.endsWith('veh_02.tif'))!.annotation!);
  await expect.poll(() => parseAnnotation(readFileSync(second, 'utf8')).review.comments[0].resolved ?? false).toBe(true);
  await expect(page.getByTestId('notice').locator('span')).toHaveText(`${code} checked and saved: 4 neurons. Every auto-traced image of the project is checked.`);
});

test('Project: "Auto-trace all images" leaves the image open with unsaved work alone', async ({ app }) => {
  const { root, page, fields } = await syntheticProject(app, 'ramify-autotrace-guard-');
  await waitForImage(page, 'veh_01.tif');
  const doc = () => debug(page, (d) => d.doc());

  // Unsaved work on the open image: one neuron traced with the Auto tool.
  const soma = fields[0].truth.neurons[0].soma;
  if (soma?.kind !== 'point') throw new Error('synthetic soma expected as a point');
  await chooseAutoTool(page);
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(1);
  const mine = (await doc()).neurons[0];

  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText('Traced 2 images automatically; they await review. Left alone: 1 image open with unsaved work.', { timeout: 60_000 });
  // The open image keeps exactly its own work, and no automatic trace was written for it.
  expect((await doc()).neurons).toEqual([mine]);
  const written = readdirSync(join(root, 'annotations'))
    .filter((f) => f.endsWith('.ramify.json'))
    .map((f) => parseAnnotation(readFileSync(join(root, 'annotations', f), 'utf8')))
    .filter((a) => a.review.status === 'ready-for-review');
  expect(written.length).toBe(2);
});

test('on an uncalibrated image the detail slider and the Sholl circles are in px: 5 µm at the assumed 0.5 µm/px shows as 10 px', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await openByDialog(app, join(ROOT, 'tests/fixtures/neuronj/neurites.tif'));
  await chooseAutoTool(page);
  await expect(page.getByTestId('autotrace-detail')).toHaveText('10');
  await expect(page.getByRole('region', { name: 'Automatic tracing' })).toContainText('10 px');
  // The Sholl circles' radii are in px too.
  await expect(page.getByRole('region', { name: 'Measurements' })).toContainText('Sholl circles, px');
  // One click at the root of NeuronJ's tracings, then 40 px: the re-pruned tree keeps only branches of 40 px and more.
  await clickImage(page, 138.5, 328.5);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  const before = (await debug(page, (d) => d.doc())).neurons[0].branches.length;
  await page.getByLabel('Shortest branch kept').fill('40');
  await expect(page.getByTestId('autotrace-detail')).toHaveText('40');
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons[0].branches.length).toBeLessThan(before);
  await page.screenshot({ path: test.info().outputPath('autotrace-uncalibrated.png') });
  expect((await debug(page, (d) => d.doc())).neurons[0].auto?.parameters.minBranchPx).toBe(40);
});

/** The app started, then an SWC drawn as a micrograph (1 px per unit, noise σ 8) opened with the Auto tool on. */
async function openDrawnSwc(app: Harness, swc: string, name: string, seed: number) {
  await app.start();
  await waitForImage(app.page, 'sample-neurons.tif');
  const m = renderMorphology(swc, { unitsPerPx: 1, noise: 8, seed });
  const file = join(mkdtempSync(join(tmpdir(), 'ramify-drawn-')), name);
  writeFileSync(file, encodeTiff({ width: m.image.info.width, height: m.image.info.height, planes: [m.image.planes[0] as Uint16Array], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none' }));
  await openByDialog(app, file);
  await waitForImage(app.page, name);
  await chooseAutoTool(app.page);
  return m;
}

test('a branch leaving a thick dendrite at 30°: one click hangs it from the dendrite where the two centre lines truly meet', async ({ app }) => {
  const { page } = app;
  // A dendrite 2 px in radius from the cell body, and a branch 1.5 px in radius leaving it at 30° 100 px out.
  const m = await openDrawnSwc(app, dendriteWithBranchAt(30), 'thick-branch.tif', 1);
  await clickImage(page, m.root.x, m.root.y);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  const [dendrite, branch] = (await debug(page, (d) => d.doc())).neurons[0].branches;
  expect(dendrite.parent.kind).toBe('soma');
  expect(branch.parent.kind).toBe('node');
  const at = dendrite.nodes.find((n) => branch.parent.kind === 'node' && n.id === branch.parent.nodeId) as { x: number; y: number };
  // Before the branch was re-centred on its own signal beside the dendrite (near-parent.ts) it hung 2.7 px out.
  expect(Math.hypot(at.x - m.gold[0].x[48], at.y - m.gold[0].y[48])).toBeLessThan(1.2);
  await page.screenshot({ path: test.info().outputPath('autotrace-thick-branch.png') });
});

test('a branch leaving a thick dendrite at 15°: the dendrite stays straight and the branch hangs near the true junction', async ({ app }) => {
  const { page } = app;
  const m = await openDrawnSwc(app, dendriteWithBranchAt(15), 'shallow-branch.tif', 6);
  await clickImage(page, m.root.x, m.root.y);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  const [dendrite, branch, ...more] = (await debug(page, (d) => d.doc())).neurons[0].branches;
  expect(more).toHaveLength(0);
  expect(branch.parent.kind).toBe('node');
  const at = dendrite.nodes.find((n) => branch.parent.kind === 'node' && n.id === branch.parent.nodeId) as { x: number; y: number };
  const [jx, jy] = [m.gold[0].x[48], m.gold[0].y[48]];
  // Before parent-at-split.ts the dendrite's line leaned 1.7 px into the blob the two make past the junction, and the
  // branch hung from that bulge 12 px out.
  expect(Math.hypot(at.x - jx, at.y - jy)).toBeLessThan(3.5);
  const off = dendrite.nodes.filter((n) => n.x > jx - 10 && n.x < jx + 40).map((n) => Math.abs(n.y - jy));
  expect(Math.max(...off)).toBeLessThan(0.6);
  await page.screenshot({ path: test.info().outputPath('autotrace-shallow-branch.png') });
});

test('two dendrites of one cell that cross: one click gives both whole, no branch point, the continued one dotted', async ({ app }) => {
  const { page } = app;
  // A right from the cell body; B up, over and down across A at right angles (an SWC drawn as a micrograph).
  const swc = ['1 1 0 0 0 6 -1', '2 3 8 0 0 1.2 1', '3 3 100 0 0 1.2 2', '4 3 -3 -8 0 1.2 1', '5 3 35.5 -40 0 1.2 4', '6 3 60.5 -30 0 1.2 5', '7 3 60.5 0 0 1.2 6', '8 3 60.5 30 0 1.2 7'].join('\n');
  const m = await openDrawnSwc(app, swc, 'crossing.tif', 1);
  await clickImage(page, m.root.x, m.root.y);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  const traced = (await debug(page, (d) => d.doc())).neurons[0];
  // Before crossings were rejoined: A's far half hung from B at the crossing (a branch point and a third tip).
  expect(traced.branches.map((b) => b.parent.kind)).toEqual(['soma', 'soma']);
  await expect(page.getByTestId('autotrace-status')).toContainText('1 uncertain path drawn dotted');
  // Ringed where it crosses: (60.5, 0) from the cell body's centre, on the continued line.
  const { spots } = await debug(page, (d) => d.autotrace());
  expect(spots).toHaveLength(1);
  expect(spots[0].doubt).toBe('crossing');
  expect(Math.hypot(spots[0].x - (m.root.x + 60.5), spots[0].y - m.root.y)).toBeLessThan(1.5);
  await page.keyboard.press('u');
  await expect(page.getByTestId('autotrace-doubt')).toContainText('continued across a crossing neurite (ringed in blue)');
  await page.screenshot({ path: test.info().outputPath('autotrace-crossing.png') });
});

test('Detect neurons on a field without a cell body traces the fibre from its trunk’s end and says so', async ({ app }) => {
  const { page } = app;
  // A trunk 60 px long that forks twice, no cell body (an SWC drawn as a micrograph; its root is the trunk's end).
  const swc = ['1 3 0 0 0 1.2 -1', '2 3 0 -60 0 1.2 1', '3 3 -30 -90 0 1 2', '4 3 30 -95 0 1 2', '5 3 -55 -100 0 1 3', '6 3 -35 -125 0 1 3', '7 3 50 -120 0 1 4', '8 3 60 -90 0 1 4'].join('\n');
  const m = await openDrawnSwc(app, swc, 'fibre.tif', 2);
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  const traced = (await debug(page, (d) => d.doc())).neurons[0];
  // Before: a field without a cell body gave "No neuron found here." Now the tree starts at the trunk's end, on its
  // centre line where its signal begins (the drawn root), with the three forks and four tips of the drawing.
  const start = traced.branches[0].nodes[0];
  expect(Math.hypot(start.x - m.root.x, start.y - m.root.y)).toBeLessThan(1.5);
  await expect(page.getByRole('region', { name: 'Automatic tracing' })).toContainText("No cell body in the field: traced 1 fibre from where it enters the image or from its trunk's end.");
  // Each traced path ends at a tip: four paths for the drawing's four tips.
  expect(traced.branches.length).toBe(4);
  await page.screenshot({ path: test.info().outputPath('autotrace-fibre.png') });
});

/** Starts on the bundled sample with the Auto tool. */
async function autoOnSample(app: Harness) {
  const { page } = app;
  const doc = () => debug(page, (d) => d.doc());
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await chooseAutoTool(page);
  return { doc, review };
}

/** Starts on the bundled sample and detects its neurons; they await review. */
async function detectOnSample(app: Harness) {
  const { doc, review } = await autoOnSample(app);
  await app.page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect(review.getByRole('listitem')).toHaveCount(truth.document.neurons.length, { timeout: 60_000 });
  return { doc, review };
}

/** With the Auto tool: nothing awaits review, and moving the detail slider leaves the document as it is. */
async function expectNothingUnderReview(page: Harness['page'], doc: () => Promise<AnnotationDocument>, level: string) {
  const now = JSON.stringify(await doc());
  await chooseAutoTool(page);
  await expect(page.getByRole('region', { name: 'Automatic tracing' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Traced neurons awaiting review' })).toHaveCount(0);
  await page.getByLabel('Shortest branch kept').fill(level);
  await page.waitForTimeout(500);
  expect(JSON.stringify(await doc())).toBe(now);
}

/** Opens another file through File › Open, answering "Don't save" if the app asks about unsaved changes. */
async function openLeaving(app: Harness, path: string) {
  app.dialogAnswers.push(path);
  await app.services.menuActions.open();
  const name = path.split(/[\\/]/).pop();
  const dontSave = app.page.getByRole('button', { name: "Don't save" });
  await expect
    .poll(
      async () => {
        if (await dontSave.isVisible()) await dontSave.click();
        return app.page.getByTestId('file-name').textContent();
      },
      { timeout: 15_000 },
    )
    .toBe(name);
  await waitForImage(app.page, name!);
}

test('another image opened while traced neurons await review: the review, the slider and a running trace stay with the image they came from', async ({ app }) => {
  const { page } = app;
  const { doc, review } = await detectOnSample(app);

  // Another image; its first neuron (id 1, as the sample's first traced one was) is placed by hand.
  const m = renderMorphology(['1 1 0 0 0 6 -1', '2 3 8 0 0 1.2 1', '3 3 100 0 0 1.2 2'].join('\n'), { unitsPerPx: 1, noise: 8, seed: 3 });
  const file = join(mkdtempSync(join(tmpdir(), 'ramify-other-')), 'other.tif');
  writeFileSync(file, encodeTiff({ width: m.image.info.width, height: m.image.info.height, planes: [m.image.planes[0] as Uint16Array], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none' }));
  await openLeaving(app, file);
  await page.keyboard.press('s');
  await clickImage(page, m.root.x, m.root.y);
  await expect.poll(async () => (await doc()).neurons.map((n) => n.id)).toEqual([1]);
  // Before: the sample's pending list (ids 1–4) named this neuron 1, offered to accept or discard it, and the detail
  // slider replaced it with the sample's traced neuron 1.
  await expectNothingUnderReview(page, doc, '20');

  // A Detect still running (a copy of the sample: about a second) when another image opens adds nothing to it.
  const copy = join(dirname(file), 'sample-copy.tif');
  copyFileSync(join(ROOT, 'build/sample/sample-neurons.tif'), copy);
  await openLeaving(app, copy);
  await chooseAutoTool(page);
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  const fresh = join(dirname(file), 'fresh.tif');
  copyFileSync(file, fresh);
  await openLeaving(app, fresh);
  await page.waitForTimeout(2500);
  expect((await doc()).neurons).toEqual([]);
  await expect(page.getByTestId('autotrace-progress')).toHaveCount(0);
  await expect(review).toHaveCount(0);
});

test('an automatic trace undone leaves the review: a neuron drawn next, with the same id, is not offered for review or re-pruned', async ({ app }) => {
  const { page } = app;
  const { doc, review } = await detectOnSample(app);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(0);
  await expect(review).toHaveCount(0);
  // The document hands out id 1 again; before, the review list took this neuron for the traced neuron 1.
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await doc()).neurons.map((n) => n.id)).toEqual([1]);
  await expectNothingUnderReview(page, doc, '20');
});

test('the detail slider moved while a trace runs: the trace gets the new level when it is done; a second click adds its cell to the trace under review', async ({ app }) => {
  const { page } = app;
  const doc = () => debug(page, (d) => d.doc());
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await chooseAutoTool(page);
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(1);
  const first = JSON.stringify((await doc()).neurons[0].branches.map((b) => b.nodes.map((n) => [n.x, n.y])));
  // A click on the fourth cell, and the slider moved at once, while its search runs.
  const other = truth.document.neurons[3].soma as { x: number; y: number };
  const p = await toPage(page, other.x, other.y);
  await page.mouse.click(p.x, p.y);
  await expect.poll(() => debug(page, (d) => d.autotrace().busy)).toBe(true);
  await page.getByLabel('Shortest branch kept').fill('30');
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(2);
  await expect.poll(() => debug(page, (d) => d.autotrace().busy)).toBe(false);
  await expect(page.getByRole('list', { name: 'Traced neurons awaiting review' }).getByRole('listitem')).toHaveCount(2);
  // Both await review, both at the slider's level: fewer branches at 30 µm than at 5 µm.
  const at30 = async () => (await doc()).neurons.map((n) => n.branches.length);
  await expect.poll(async () => JSON.stringify((await doc()).neurons[0].branches.map((b) => b.nodes.map((n) => [n.x, n.y])))).not.toBe(first);
  const coarse = await at30();
  const second = (await doc()).neurons[1];
  expect(Math.hypot((second.soma as { x: number }).x - other.x, (second.soma as { y: number }).y - other.y)).toBeLessThan(4);
  await page.getByLabel('Shortest branch kept').fill('5');
  await expect.poll(async () => (await at30())[1]).toBeGreaterThan(coarse[1]);
  // Back at 5 µm the first cell is traced as it was alone: the fourth cell's body competed in that trace already.
  await expect.poll(async () => JSON.stringify((await doc()).neurons[0].branches.map((b) => b.nodes.map((n) => [n.x, n.y])))).toBe(first);
});

test('a traced neuron corrected by hand is accepted: the detail slider no longer replaces it, so the correction stays', async ({ app }) => {
  const { page } = app;
  const { doc, review } = await autoOnSample(app);
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(1);
  await expect(review.getByRole('listitem')).toHaveCount(1);
  // The technician deletes a piece of the longest traced path (Edit tool: a click on the middle of its line, Delete).
  const traced = (await doc()).neurons[0];
  const path = traced.branches.reduce((a, b) => (b.nodes.length > a.nodes.length ? b : a));
  await page.keyboard.press('e');
  const k = Math.floor(path.nodes.length / 2);
  await clickImage(page, (path.nodes[k].x + path.nodes[k + 1].x) / 2, (path.nodes[k].y + path.nodes[k + 1].y) / 2);
  await expect.poll(async () => ((await debug(page, (d) => d.selection())) as { kind?: string } | null)?.kind).toMatch(/^(branch|node)$/);
  const before = JSON.stringify(await doc());
  await page.keyboard.press('Delete');
  await expect.poll(async () => JSON.stringify(await doc())).not.toBe(before);
  // Before: still awaiting review, and the slider brought the deleted path back with a fresh trace.
  await expectNothingUnderReview(page, doc, '2');
});

/** Starts the app on the bundled sample and returns the sample decoded, to write variants of it. */
async function startOnSample(app: Harness) {
  await app.start();
  await waitForImage(app.page, 'sample-neurons.tif');
  return decodeImage(new Uint8Array(readFileSync(join(ROOT, 'build/sample/sample-neurons.tif'))));
}

/** The sample's neurons in the second of three channels, as in a colour micrograph of green-stained cells; the first holds noise, the third a flat level. */
function greenCells(sample: DecodedImage): Uint8Array {
  const { width, height } = sample.info;
  let seed = 3;
  const noise = Uint16Array.from({ length: width * height }, () => 100 + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 26));
  return encodeTiff({ width, height, planes: [noise, sample.planes[0] as Uint16Array, new Uint16Array(width * height).fill(50)], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', imagejDescription: imagejDescription({ channels: 3 }) });
}

/** The app started on the sample, `name` written from it by `make` to a folder of its own and opened, Detect run on it. */
async function detectOnFile(app: Harness, name: string, make: (sample: DecodedImage) => Uint8Array) {
  const sample = await startOnSample(app);
  const dir = mkdtempSync(join(tmpdir(), 'ramify-channels-'));
  writeFileSync(join(dir, name), make(sample));
  await openByDialog(app, join(dir, name));
  await chooseAutoTool(app.page);
  await app.page.getByRole('button', { name: 'Detect neurons' }).click();
  return { dir, panel: app.page.getByRole('region', { name: 'Automatic tracing' }) };
}

test('Detect on a channel without the neurons says which channel has them; chosen under Tracing, it finds them', async ({ app }) => {
  const { page } = app;
  const { dir, panel } = await detectOnFile(app, 'green-cells.tif', greenCells);
  await expect(panel).toContainText('No neuron found here. Channel 1 of 3 was traced; channel 2 has clearly more signal: choose it under Tracing ▸ Channel.', { timeout: 60_000 });
  await page.screenshot({ path: test.info().outputPath('autotrace-channel-hint.png') });
  expect((await debug(page, (d) => d.doc())).neurons).toHaveLength(0);
  await page.getByLabel('Tracing channel').selectOption({ label: '2' });
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 60_000 }).toBe(truth.document.neurons.length);
  await expect(panel).not.toContainText('No neuron found');
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The sample's neurons as a colour (RGB) micrograph of green-stained cells: green their channel in 8 bits, red their
 * faint ghost (a twentieth of it, as a JPEG's chroma leaves it), blue empty.
 */
function colourGreenCells(sample: DecodedImage): Uint8Array {
  const { width, height } = sample.info;
  const plane = sample.planes[0] as Uint16Array;
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of plane) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  const rgb = new Uint8Array(3 * width * height);
  for (let i = 0; i < plane.length; i++) {
    const g = Math.round((255 * (plane[i] - lo)) / (hi - lo));
    [rgb[3 * i], rgb[3 * i + 1]] = [Math.round(g / 20), g];
  }
  return encodePng({ width, height, data: rgb, channels: 3, depth: 8 });
}

test('Detect on the red channel of a colour micrograph of green cells names the green channel, whatever it found there', async ({ app }) => {
  const { page } = app;
  const { dir, panel } = await detectOnFile(app, 'green-cells.png', colourGreenCells);
  await expect(panel).toContainText('Channel 1 of 3 was traced; channel 2 has clearly more signal: choose it under Tracing ▸ Channel.', { timeout: 60_000 });
  await page.screenshot({ path: test.info().outputPath('autotrace-colour-hint.png') });
  await page.getByRole('button', { name: 'Discard all' }).click();
  // A colour image's channels are named by their colour.
  await expect(page.getByLabel('Tracing channel').locator('option')).toHaveText(['1 · red', '2 · green', '3 · blue']);
  await page.getByLabel('Tracing channel').selectOption({ label: '2 · green' });
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 60_000 }).toBe(truth.document.neurons.length);
  await expect(panel).not.toContainText('clearly more signal');
  rmSync(dir, { recursive: true, force: true });
});

test('Auto-trace all images on a channel without the cells names the one that has them; run again on it, traces the images where it found nothing again; the review on open reads the channel the file records', async ({ app }) => {
  const root = mkdtempSync(join(tmpdir(), 'ramify-batch-channel-'));
  mkdirSync(join(root, 'vehicle'));
  const tiff = greenCells(decodeImage(new Uint8Array(readFileSync(SAMPLE))));
  for (const name of ['veh_01.tif', 'veh_02.tif']) writeFileSync(join(root, 'vehicle', name), tiff);
  const page = await projectFromFolder(app, root, 2);
  await waitForImage(page, 'veh_01.tif');
  // Run first on channel 1, where there is nothing: the notice names the channel that has the cells.
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText(
    'Traced 2 images automatically; they await review. No cell body was found on any of them; channel 2 has clearly more signal than the channel traced. Choose it under Tracing ▸ Channel and run Auto-trace all images again: the images no one has checked are traced again.',
    { timeout: 60_000 },
  );
  // Nobody has looked at what the batch found (nothing): both are listed as unchecked, and the image opened says how
  // the batch traced it and how the check ends.
  const rows = page.getByTestId('project-images').locator('li');
  await expect(rows.locator('.to-check')).toHaveText(['auto-traced, unchecked', 'auto-traced, unchecked']);
  await page.screenshot({ path: test.info().outputPath('autotrace-batch-wrong-channel.png') });
  await rows.nth(1).click();
  await waitForImage(page, 'veh_02.tif');
  await expect(page.getByTestId('notice').locator('span')).toHaveText(
    'Auto-trace all images found no neuron on this image, tracing channel 1, shortest branch 5 µm (10 px at an assumed 0.5 µm per px). Trace what is here with the Auto tool (A) or by hand; if there is nothing to trace, resolve its note under File and review.',
  );
  await expect(page.getByTestId('review-status')).toContainText('ready for review');
  await page.screenshot({ path: test.info().outputPath('autotrace-batch-found-nothing.png') });
  await rows.nth(0).click();
  await waitForImage(page, 'veh_01.tif');
  // Channel 2 chosen, run again: the two files where nothing was found are nobody's work, and are traced again.
  await page.getByLabel('Tracing channel').selectOption({ label: '2' });
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText('Traced 2 images automatically again with the settings chosen since (nobody had checked their earlier trace); they await review.', { timeout: 60_000 });
  const files = readdirSync(join(root, 'annotations')).filter((f) => f.endsWith('.ramify.json'));
  for (const f of files) {
    const neurons = parseAnnotation(readFileSync(join(root, 'annotations', f), 'utf8')).document.neurons;
    expect(neurons).toHaveLength(truth.document.neurons.length);
    expect(neurons.map((n) => n.auto?.parameters.channel)).toEqual(neurons.map(() => 1));
  }
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await expect(review.getByRole('listitem')).toHaveCount(truth.document.neurons.length, { timeout: 30_000 });
  // Back on the first channel in the Tracing panel, the next image still opens under review: its file says channel 2.
  await page.getByLabel('Tracing channel').selectOption({ label: '1' });
  await page.getByTestId('project-images').locator('li').nth(1).click();
  await waitForImage(page, 'veh_02.tif');
  await expect(review.getByRole('listitem')).toHaveCount(truth.document.neurons.length, { timeout: 30_000 });
  await expect(page.getByTestId('autotrace-message')).toHaveCount(0);
});

test('an image where Auto-trace all images found nothing stays unchecked until a neuron traced there is saved: the save resolves the batch note', async ({ app }) => {
  const root = mkdtempSync(join(tmpdir(), 'ramify-batch-nothing-'));
  mkdirSync(join(root, 'vehicle'));
  writeFileSync(join(root, 'vehicle', 'veh_01.tif'), greenCells(decodeImage(new Uint8Array(readFileSync(SAMPLE)))));
  const page = await projectFromFolder(app, root, 1);
  await waitForImage(page, 'veh_01.tif');
  // No image of the project has a pixel size: the slider shows px, and so does the button's tooltip.
  await expect(page.getByRole('button', { name: 'Auto-trace all images' })).toHaveAttribute('title', 'Trace every image without annotations automatically: channel 1, shortest branch 5 µm (10 px at an assumed 0.5 µm per px). They are marked for review');
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toContainText('Traced 1 image automatically; it awaits review. No cell body was found on it', { timeout: 60_000 });
  const row = page.getByTestId('project-images').locator('li');
  await expect(row.locator('.to-check')).toHaveText('auto-traced, unchecked');
  // The image on screen shows the file the batch wrote: ready for review, its note open.
  await expect(page.getByTestId('review-status')).toContainText('ready for review');
  const threads = page.getByTestId('comment-thread');
  await expect(threads).toHaveCount(1);
  await expect(threads.getByTestId('comment-resolved')).toHaveCount(0);
  // A cell the batch missed (it traced the wrong channel), placed by hand and saved.
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  await page.keyboard.press('Control+s');
  await expect(threads.getByTestId('comment-resolved')).toHaveText(/^Resolved by /);
  // Said as at the end of a batch trace's review: the image is checked, and how many are left.
  await expect(page.getByTestId('notice').locator('span')).toHaveText('veh_01.tif checked and saved: 1 neuron. Every auto-traced image of the project is checked.');
  await expect(row.locator('.to-check')).toHaveCount(0);
  const [file] = readdirSync(join(root, 'annotations')).filter((f) => f.endsWith('.ramify.json'));
  const saved = parseAnnotation(readFileSync(join(root, 'annotations', file), 'utf8'));
  expect(saved.document.neurons).toHaveLength(1);
  // The note says the shortest branch in px too: the image has no pixel size (the slider shows px there).
  expect(saved.review.comments.map((c) => [c.author, c.text, c.resolved === true])).toEqual([
    ['Ramify automatic tracing', 'Traced automatically on channel 1, shortest branch 5 µm (10 px at an assumed 0.5 µm per px): 0 neurons; awaiting review.', true],
  ]);
  // The next batch leaves it alone: someone's work now.
  await page.getByRole('button', { name: 'Auto-trace all images' }).click();
  await expect(page.getByTestId('notice').locator('span')).toHaveText('Nothing to trace: 1 image with annotations (annotations are never traced over).', { timeout: 60_000 });
  rmSync(root, { recursive: true, force: true });
});

test('an image saved at 72 dpi: Calibration calls it a print resolution, the Auto tool traces in px and says so until a pixel size is set', async ({ app }) => {
  const { page } = app;
  // The sample's neurons as an image editor exports them: no ImageJ metadata, 72 dpi in the resolution tags.
  const sample = await startOnSample(app);
  const { width, height } = sample.info;
  const dir = mkdtempSync(join(tmpdir(), 'ramify-72dpi-'));
  const file = join(dir, 'exported.tif');
  writeFileSync(file, encodeTiff({ width, height, planes: [sample.planes[0] as Uint16Array], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', resolution: { x: 72, y: 72, unit: 'inch' } }));
  await openByDialog(app, file);
  const calibration = page.getByRole('region', { name: 'Calibration' });
  await expect(calibration.getByTestId('calibration-summary')).toContainText('352.78 × 352.78 µm/px');
  await expect(calibration.getByTestId('calibration-print-resolution')).toHaveText("That is a print resolution (72 dpi), not a microscope's pixel size: set the right one.");
  await calibration.screenshot({ path: test.info().outputPath('calibration-72dpi.png') });
  await chooseAutoTool(page);
  const panel = page.getByRole('region', { name: 'Automatic tracing' });
  await expect(panel.getByTestId('autotrace-print-resolution')).toHaveText(
    "The image's pixel size, 352.8 µm, comes from its resolution tags (72 dpi): a print resolution, not a microscope's. Automatic tracing reads lengths at an assumed 0.5 µm per px; set its pixel size under Calibration to trace in µm.",
  );
  // The slider reads px at the assumed 0.5 µm per px: the default 5 µm is 10 px.
  await expect(panel).toContainText('Detail: shortest branch 10 px');
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 60_000 }).toBe(truth.document.neurons.length);
  await page.screenshot({ path: test.info().outputPath('autotrace-72dpi.png') });
  await calibration.getByRole('button', { name: 'Set…' }).click();
  await page.getByLabel('Pixel size in µm').fill('0.5');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(calibration.getByTestId('calibration-print-resolution')).toHaveCount(0);
  await expect(panel.getByTestId('autotrace-print-resolution')).toHaveCount(0);
  await expect(panel).toContainText('Detail: shortest branch 5 µm');
  rmSync(dir, { recursive: true, force: true });
});

const DDAC = sharedData('micrographs/snt/ddaC.tif');

test("a detected cell body that is no cell: 'Not a cell' traces again without it, the cell it lies on takes its branches; one undo brings it back", async ({ app }) => {
  test.skip(!DDAC, 'SNT ddaC.tif is not on this machine');
  const { page } = app;
  await app.start();
  await openByDialog(app, DDAC!);
  const doc = () => debug(page, (d) => d.doc());
  const paths = async () => (await doc()).neurons.map((n) => n.branches.length);
  await chooseAutoTool(page);
  await page.getByRole('button', { name: 'Detect neurons' }).click();
  // SNT's ddaC: its cell body, and a junction of its dendrites taken for a second one.
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 60_000 }).toBe(2);
  const [main, junction] = await paths();
  expect(junction).toBeLessThan(20);
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await page.getByRole('region', { name: 'Automatic tracing' }).screenshot({ path: test.info().outputPath('autotrace-review-list.png') });
  await review.getByRole('listitem').filter({ hasText: 'Neuron 2' }).getByRole('button', { name: 'Not a cell' }).click();
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(1);
  const [joined] = await paths();
  expect(joined).toBeGreaterThan(main);
  const near = (await doc()).neurons[0].branches.flatMap((b) => b.nodes).filter((p) => Math.hypot(p.x - 250.5, p.y - 307.5) < 12);
  expect(near.length).toBeGreaterThan(10);
  await expect(review.getByRole('listitem')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('autotrace-not-a-cell.png') });
  // The slider moved after it re-prunes within the same undo step, as after a trace.
  await page.getByLabel('Shortest branch kept').fill('20');
  await expect.poll(async () => (await paths())[0]).toBeLessThan(joined);
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(paths).toEqual([main, junction]);
  // Both back under review: the field traced again gives them node for node, so Not a cell is offered again.
  await expect(review.getByRole('listitem')).toHaveCount(2, { timeout: 30_000 });
  await expect(review.getByRole('button', { name: 'Not a cell' })).toHaveCount(2);
});

test('a cell body Detect missed, clicked while the field awaits review: traced with the field, its neighbour gives its dendrites back; one undo step', async ({ app }) => {
  const { page } = app;
  const { doc, review } = await detectOnSample(app);
  const paths = async () => (await doc()).neurons.map((n) => `${n.name}: ${n.branches.length}`);
  const detected = await paths();
  // A field where Detect missed the second cell: its neighbour traces its dendrites as its own.
  const second = (await doc()).neurons[1];
  const body = second.soma as { x: number; y: number };
  await review.getByRole('listitem').filter({ hasText: 'Neuron 2' }).getByRole('button', { name: 'Not a cell' }).click();
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(3);
  const missing = await paths();
  expect(missing).not.toEqual(detected.filter((_, k) => k !== 1));
  // A click on the background meanwhile adds nothing: no empty neuron joins the review, the panel says so.
  const undoBefore = await debug(page, (d) => d.undoLabel());
  await clickImage(page, 12, 1012);
  await expect(page.getByTestId('autotrace-message')).toHaveText('No neuron found here.', { timeout: 30_000 });
  expect(await paths()).toEqual(missing);
  await expect(review.getByRole('listitem')).toHaveCount(3);
  expect(await debug(page, (d) => d.undoLabel())).toBe(undoBefore);
  // The technician clicks the missed cell body: it joins the trace under review.
  await clickImage(page, body.x, body.y);
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(4);
  const added = await paths();
  expect(added.slice(0, 3)).toEqual(detected.filter((_, k) => k !== 1));
  expect(added[3]).toMatch(new RegExp(`: ${second.branches.length}$`));
  await expect(review.getByRole('listitem')).toHaveCount(4);
  await page.screenshot({ path: test.info().outputPath('autotrace-add-a-cell.png') });
  await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await expect.poll(paths).toEqual(missing);
});

test('Detect on a field partly traced traces only the cells not in the document; a click on a traced cell body selects its neuron', async ({ app }) => {
  const { page } = app;
  const { doc } = await detectOnSample(app);
  const message = page.getByTestId('autotrace-message');
  const detect = page.getByRole('button', { name: 'Detect neurons' });
  await page.getByRole('button', { name: 'Accept all' }).click();
  const traced = JSON.stringify((await doc()).neurons);
  // Detect again: nothing doubled.
  await detect.click();
  await expect(message).toHaveText('Every cell found here is traced already: 4 cells traced already left as they are.');
  expect(JSON.stringify((await doc()).neurons)).toBe(traced);
  // One neuron deleted: Detect traces that cell only, the others stay as they are.
  const [, second] = (await doc()).neurons;
  await page.getByRole('button', { name: `Delete ${second.name}` }).click();
  await expect.poll(async () => (await doc()).neurons.length).toBe(3);
  await detect.click();
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 60_000 }).toBe(4);
  await expect(message).toHaveText('Traced 1 new neuron. 3 cells traced already left as they are.');
  const now = (await doc()).neurons;
  expect(JSON.stringify(now.filter((n) => n.id !== now[3].id))).toBe(JSON.stringify(JSON.parse(traced).filter((n: { id: number }) => n.id !== second.id)));
  expect(now[3].branches.length).toBe(second.branches.length);
  await page.screenshot({ path: test.info().outputPath('autotrace-partly-traced.png') });
  // A click on a cell body traced already: its neuron, no second trace.
  const body = now[0].soma as { x: number; y: number };
  await clickImage(page, body.x, body.y);
  await expect(message).toHaveText(`That cell body is traced already: ${now[0].name}.`);
  expect((await doc()).neurons.length).toBe(4);
});

test('a neuron discarded from the review keeps its ground when the field is traced again, and a click on its cell body brings it back', async ({ app }) => {
  const { page } = app;
  const { doc, review } = await detectOnSample(app);
  const detected = (await doc()).neurons.map((n) => n.branches.length);
  const [first, second] = (await doc()).neurons;
  await review.getByRole('listitem').filter({ hasText: 'Neuron 2' }).getByRole('button', { name: 'Discard' }).click();
  await review.getByRole('listitem').filter({ hasText: 'Neuron 1' }).getByRole('button', { name: 'Not a cell' }).click();
  // Neuron 1's ground goes to its neighbours that await review, not to the discarded cell's.
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(2);
  await expect.poll(() => debug(page, (d) => d.autotrace().busy)).toBe(false);
  // The discarded cell clicked again: traced as Detect traced it, alongside the trace under review.
  const body = second.soma as { x: number; y: number };
  await clickImage(page, body.x, body.y);
  await expect.poll(async () => (await doc()).neurons.length, { timeout: 30_000 }).toBe(3);
  const back = (await doc()).neurons.at(-1)!;
  expect(Math.hypot((back.soma as { x: number }).x - body.x, (back.soma as { y: number }).y - body.y)).toBeLessThan(4);
  expect(back.branches.length).toBeGreaterThanOrEqual(detected[1]);
  expect((await doc()).neurons.some((n) => n.id === first.id)).toBe(false);
});

test('a batch trace the tracer cannot give back (an earlier version made it) is reviewed as saved: accept or discard each, and the review is recorded', async ({ app }) => {
  const { root, page } = await batchTracedCopies(app, 'ramify-batch-older-');
  const review = page.getByRole('list', { name: 'Traced neurons awaiting review' });
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });

  // The second image's file as an earlier version of the tracer wrote it.
  const annotation = join(root, parseProject(readFileSync(join(root, PROJECT_FILE_NAME), 'utf8')).images.find((i) => i.path.endsWith('veh_02.tif'))!.annotation!);
  const current = parseAnnotation(readFileSync(annotation, 'utf8')).document.neurons[0].auto!.tracer;
  const older = `ramify-app2 ${Number(current.split(' ')[1]) - 1}`;
  writeFileSync(annotation, readFileSync(annotation, 'utf8').replaceAll(`"${current}"`, `"${older}"`));
  const before = parseAnnotation(readFileSync(annotation, 'utf8'));
  expect(before.document.neurons.map((n) => n.auto?.tracer)).toEqual([older, older, older, older]);

  const rows = page.getByTestId('project-images').locator('li');
  await rows.nth(1).click();
  await waitForImage(page, 'veh_02.tif');
  // Its four neurons are listed as the file has them, with no trace behind them: no Not a cell, nothing changed.
  await expect(review.getByRole('listitem')).toHaveCount(4, { timeout: 30_000 });
  await expect(page.getByTestId('autotrace-message')).toHaveText(
    '4 neurons traced by an earlier version of the automatic tracer: accept or discard each as it is (to trace them again, with the detail slider and Not a cell, discard them and click Detect neurons).',
  );
  await expect(review.getByRole('button', { name: 'Not a cell' })).toHaveCount(0);
  await expect(review.getByRole('listitem').filter({ hasText: 'as saved' })).toHaveCount(4);
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  const doc = () => debug(page, (d) => d.doc());
  expect((await doc()).neurons).toEqual(before.document.neurons);
  await page.screenshot({ path: test.info().outputPath('batch-review-as-saved.png') });

  // Discard one, accept the rest: the review ends, recorded in the file at once, the discarded neuron gone.
  await review.getByRole('listitem').filter({ hasText: 'Neuron 4' }).getByRole('button', { name: 'Discard' }).click();
  await expect(review.getByRole('listitem')).toHaveCount(3);
  await page.getByRole('button', { name: 'Accept all' }).click();
  await expect(review).toHaveCount(0);
  await expect.poll(() => parseAnnotation(readFileSync(annotation, 'utf8')).review.comments[0].resolved ?? false).toBe(true);
  const after = parseAnnotation(readFileSync(annotation, 'utf8'));
  expect(after.document.neurons).toEqual(before.document.neurons.slice(0, 3));
  await expect(rows.nth(1).locator('.to-check')).toHaveCount(0);
  await expect(page.getByTestId('queue-filters').getByRole('button', { name: /^unchecked/ })).toHaveText('unchecked 1');
});

test('an Auto click beside the image says so and traces nothing', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await chooseAutoTool(page);
  await clickImage(page, -30, 500);
  await expect(page.getByRole('region', { name: 'Automatic tracing' })).toContainText('That click was beside the image: click a cell body, or the start of a fibre, on it.');
  expect((await debug(page, (d) => d.doc())).neurons).toEqual([]);
  await expect(page.getByRole('alert')).toHaveCount(0);
  // The next click, on a cell body, traces it.
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  await expect(page.getByRole('region', { name: 'Automatic tracing' })).not.toContainText('beside the image');
});
