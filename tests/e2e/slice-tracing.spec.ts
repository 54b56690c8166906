import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { imagejDescription } from '../../shared/image/imagej';
import { chooseAutoTool, clickImage, debug, expect, imagePixel, openByDialog, sharedData, test, toPage, waitForImage, type Harness } from './harness';

// Tracing on a slice of a z-stack stores that slice's index as z; SWC gives it in µm through the voxel depth.
// SpotSpine (116 × 157 px, 41 slices, 0.06 µm/px, slices 0.21 µm apart): its dendrite is sharp near the bottom of
// the image on slices 15–17 and near the top on slices 23–27 (brightest pixels per row, checked on the decoded stack).
const SPOTSPINE = sharedData('micrographs/spotspine/SpotSpine_ImageStack_Test.tif');

/** Starts the app, opens the stack at `path` and shows its slice 16 (z = 15). */
async function onSlice16(app: Harness, path: string): Promise<void> {
  await app.start();
  await waitForImage(app.page, 'sample-neurons.tif');
  await openByDialog(app, path);
  await app.page.getByRole('slider', { name: 'Slice' }).fill('15');
  await expect(app.page.getByText('Slice 16/41')).toBeVisible();
}

test('a path traced across two slices stores each stretch at its slice; saved file and SWC hold those z', async ({ app }) => {
  test.skip(!SPOTSPINE, 'SpotSpine reference stack not on this machine');
  // A writable copy: the annotation file is saved beside the image.
  const dir = mkdtempSync(join(tmpdir(), 'ramify-zslice-'));
  const image = join(dir, 'spotspine.tif');
  copyFileSync(SPOTSPINE!, image);
  const { page } = app;
  await onSlice16(app, image);
  await expect(page.getByTestId('calibration-summary')).toContainText('0.06 × 0.06 µm/px, slices 0.21 µm apart');

  // Slice 16 of 41 (z = 15): soma at the dendrite's base, then a path up the dendrite with three clicks.
  await page.keyboard.press('s');
  await clickImage(page, 72, 151);
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
  await clickImage(page, 70, 146);
  await clickImage(page, 67, 130);
  await clickImage(page, 60, 112);

  // On to slice 24 (z = 23) without ending the path: the live-wire follows the plane now shown.
  await page.getByRole('slider', { name: 'Slice' }).fill('23');
  await expect(page.getByText('Slice 24/41')).toBeVisible();
  const over = await toPage(page, 52, 60);
  await page.mouse.move(over.x, over.y);
  await clickImage(page, 52, 50);
  await clickImage(page, 44, 30);
  await page.keyboard.press('Enter');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
  await page.screenshot({ path: test.info().outputPath('spotspine-traced-on-slices.png') });
  // The whole path, on both slices, is one undo step.
  expect(await debug(page, (d) => d.undoLabel())).toBe('Trace path');
  const traced = await debug(page, (d) => d.doc());
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons[0].branches.length).toBe(0);
  await page.keyboard.press('Control+y');
  await expect.poll(() => debug(page, (d) => d.doc())).toEqual(traced);

  await page.keyboard.press('Control+s');
  await expect(page).toHaveTitle('spotspine.tif — Ramify');
  const saved = parseAnnotation(readFileSync(image.replace('.tif', '.ramify.json'), 'utf8')).document;
  expect(saved).toEqual(await debug(page, (d) => d.doc()));
  expect(saved.calibration).toEqual({ pixelWidth: 0.06, pixelHeight: 0.06, voxelDepth: 0.21, unit: 'µm', source: 'imagej' });
  const [neuron] = saved.neurons;
  expect(neuron.soma).toMatchObject({ kind: 'point', z: 15 });
  const soma = neuron.soma as { x: number; y: number };
  expect(Math.hypot(soma.x - 72, soma.y - 151)).toBeLessThan(0.01);
  expect(neuron.branches).toHaveLength(1);
  const nodes = neuron.branches[0].nodes;
  // The clicks on slice 16 end at the anchor by (60, 112): it and every node before it at z = 15, every later node
  // (the stretches clicked on slice 24) at z = 23.
  const turn = nodes.findIndex((n) => Math.hypot(n.x - 60, n.y - 112) < 3);
  expect(turn).toBeGreaterThan(1);
  expect(nodes.length).toBeGreaterThan(turn + 2);
  expect(nodes.map((n) => n.z)).toEqual(nodes.map((_, i) => (i <= turn ? 15 : 23)));
  expect(Math.hypot(nodes.at(-1)!.x - 44, nodes.at(-1)!.y - 30)).toBeLessThan(3);

  // SWC: z in µm = slice index × 0.21 (15 → 3.15, 23 → 4.83), x and y from pixel centres: (px − ½) × 0.06.
  const swcPath = join(dir, 'spotspine.swc');
  app.dialogAnswers.push(swcPath);
  await page.keyboard.press('Control+e');
  await expect.poll(() => existsSync(swcPath)).toBe(true);
  const rows = readFileSync(swcPath, 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(' '));
  expect(rows).toHaveLength(1 + nodes.length);
  expect(rows[0].slice(0, 2)).toEqual(['1', '1']);
  expect(Number(rows[0][2])).toBeCloseTo((soma.x - 0.5) * 0.06, 9);
  expect(Number(rows[0][3])).toBeCloseTo((soma.y - 0.5) * 0.06, 9);
  expect(rows[0][4]).toBe('3.15');
  expect(rows.slice(1).map((r) => r[4])).toEqual(nodes.map((_, i) => (i <= turn ? '3.15' : '4.83')));

  // Imported back (File › Import), the SWC's µm land on the same slices: z = 4.83 / 0.21 = 23, not 4.83 / 0.06.
  app.dialogAnswers.push(swcPath);
  await page.keyboard.press('Control+i');
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(2);
  const imported = (await debug(page, (d) => d.doc())).neurons[1];
  expect(imported.soma!.z).toBeCloseTo(15, 9);
  // …and on the same pixels: SWC read from pixel centres puts the soma back where it was traced.
  expect(imported.soma).toMatchObject({ kind: 'point' });
  const back = imported.soma as { x: number; y: number };
  expect(back.x).toBeCloseTo(soma.x, 6);
  expect(back.y).toBeCloseTo(soma.y, 6);
  const importedZ = imported.branches.flatMap((b) => b.nodes.map((p) => p.z));
  expect(importedZ).toHaveLength(nodes.length);
  importedZ.forEach((z, i) => expect(z).toBeCloseTo(nodes[i].z, 9));
  await page.keyboard.press('Control+z');

  // A maximum projection has no depth: what is placed on it is planar at z = 0.
  await page.getByLabel('Z projection').check();
  await page.keyboard.press('s');
  await clickImage(page, 40, 10);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.map((n) => n.soma?.z)).toEqual([15, 0]);
});

test('the Auto tool traces the slice shown and stores its z, also after re-pruning', async ({ app }) => {
  test.skip(!SPOTSPINE, 'SpotSpine reference stack not on this machine');
  const { page } = app;
  await onSlice16(app, SPOTSPINE!);
  const zs = async () => (await debug(page, (d) => d.doc())).neurons.flatMap((n) => [...(n.soma ? [n.soma.z] : []), ...n.branches.flatMap((b) => b.nodes.map((p) => p.z))]);

  // A click on the dendrite's base (a fibre start here: no cell body in this crop).
  await chooseAutoTool(page);
  await clickImage(page, 72, 151);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  const traced = await zs();
  expect(traced.length).toBeGreaterThan(5);
  expect(new Set(traced)).toEqual(new Set([15]));
  // Every branch kept (0 µm): the replaced tree is still on slice 16.
  await page.getByLabel('Shortest branch kept').fill('0');
  await expect(page.getByTestId('autotrace-detail')).toHaveText('0');
  await expect.poll(async () => (await zs()).length).toBeGreaterThan(traced.length);
  expect(new Set(await zs())).toEqual(new Set([15]));
});

test('on the max projection the Auto tool traces the whole dendrite, planar, or with each node at its depth in the stack', async ({ app }) => {
  test.skip(!SPOTSPINE, 'SpotSpine reference stack not on this machine');
  const { page } = app;
  await onSlice16(app, SPOTSPINE!);
  await page.getByLabel('Z projection').check();
  const zs = async () => (await debug(page, (d) => d.doc())).neurons.flatMap((n) => n.branches.flatMap((b) => b.nodes.map((p) => p.z)));
  await chooseAutoTool(page);
  // By default planar, as a tracing by hand on the projection (the 2D protocol): every node at z = 0.
  await clickImage(page, 72.5, 151);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  expect(new Set(await zs())).toEqual(new Set([0]));
  await page.getByRole('button', { name: 'Discard' }).click();
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(0);

  await page.getByLabel('Place nodes at their depth in the stack (3D tracing)').check();
  await clickImage(page, 72.5, 151);
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  await page.screenshot({ path: test.info().outputPath('spotspine-auto-on-projection.png') });
  // NeuronStudio's tracing of this dendrite descends from slice ~14 at its base to ~26 at the top; the projection's
  // trace follows it the whole way (no single slice holds it) and its depths do the same.
  const nodes = (await debug(page, (d) => d.doc())).neurons[0].branches.flatMap((b) => b.nodes);
  expect(Math.min(...nodes.map((p) => p.y))).toBeLessThan(30);
  const base = nodes.filter((p) => p.y > 130).map((p) => p.z);
  const top = nodes.filter((p) => p.y < 40).map((p) => p.z);
  expect(Math.max(...base)).toBeLessThan(17);
  expect(Math.min(...top)).toBeGreaterThan(21);
  // Re-pruned at another detail level, the replaced tree keeps its depths; one undo removes the whole trace.
  const before = await zs();
  await page.getByLabel('Shortest branch kept').fill('0');
  await expect.poll(async () => (await zs()).length).toBeGreaterThan(before.length);
  expect(Math.max(...(await zs()))).toBeGreaterThan(21);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length).toBe(0);
  // The option belongs to a projection: on a single slice the tracer uses that slice's z.
  await page.getByLabel('Z projection').uncheck();
  await expect(page.getByLabel('Place nodes at their depth in the stack (3D tracing)')).toHaveCount(0);
});

test('a pixel size set by hand on a stack keeps its slice spacing (no line in the plane measures z)', async ({ app }) => {
  test.skip(!SPOTSPINE, 'SpotSpine reference stack not on this machine');
  const { page } = app;
  await onSlice16(app, SPOTSPINE!);
  await page.getByRole('button', { name: 'Set…' }).click();
  await page.getByLabel('Pixel size in µm').fill('0.1');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('calibration-summary')).toContainText('0.1 × 0.1 µm/px, slices 0.21 µm apart');
  await expect(page.getByTestId('calibration-summary')).toContainText('set by hand');
  expect((await debug(page, (d) => d.doc())).calibration).toEqual({ pixelWidth: 0.1, pixelHeight: 0.1, voxelDepth: 0.21, unit: 'µm', source: 'user' });
});

/**
 * A bright-background stack opened whole or tiled (the path of stacks too large to decode whole), shown as its Z
 * projection and traced from one click on its cell body. 96×64, 8 slices, background 245: a dark cell body (r 8 px) at
 * (20, 32) on slice 3 and a dark dendrite along y = 32 to x = 80, on slice 3 left of x = 50 and on slice 6 from there
 * (as transmitted light or an inverted export shows).
 */
async function traceBrightStack(app: Harness, tiled: boolean): Promise<void> {
  const { page } = app;
  const w = 96;
  const planes = Array.from({ length: 8 }, () => new Uint8Array(w * 64).fill(245));
  for (let y = 0; y < 64; y++) for (let x = 0; x < w; x++) if ((x - 20) ** 2 + (y - 32) ** 2 <= 64) planes[2][x + w * y] = 40;
  for (let x = 28; x <= 80; x++) for (let y = 31; y <= 33; y++) planes[x < 50 ? 2 : 5][x + w * y] = 90;
  const file = join(mkdtempSync(join(tmpdir(), 'ramify-bright-')), 'bright-stack.tif');
  writeFileSync(file, encodeTiff({ width: w, height: 64, planes, bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', imagejDescription: imagejDescription({ slices: 8 }) }));
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  if (tiled) await page.evaluate(() => localStorage.setItem('ramify.tiledFromPixels', '1'));
  await openByDialog(app, file);
  await waitForImage(page, 'bright-stack.tif');
  await expect.poll(() => debug(page, (d) => d.tiled().tiled)).toBe(tiled);
  // Each slice shows its own data range: the middle one (slice 5) is uniform, slice 3 holds the cell body.
  await expect(page.getByText('data 245 – 245')).toBeVisible();
  await page.getByRole('slider', { name: 'Slice' }).fill('2');
  await expect(page.getByText('data 40 – 245')).toBeVisible();
  await page.getByRole('slider', { name: 'Slice' }).fill('4');
  await expect(page.getByText('data 245 – 245')).toBeVisible();
  await page.getByLabel('Z projection').check();
  // The automatic contrast follows the projection, [40, 245]: background white, the cell body black, the dendrite
  // ((90 − 40) / 205 · 255 = 62) dark grey. Before, the middle slice's [245, 245] stayed: background mid-grey (and
  // tiled, the projection was the maximum: the background everywhere).
  await page.mouse.move(1, 1);
  const shown = (x: number, y: number) => imagePixel(page, x, y);
  await expect.poll(() => shown(60.5, 10.5)).toEqual([255, 255, 255, 255]);
  await expect.poll(() => shown(20.5, 32.5)).toEqual([0, 0, 0, 255]);
  expect((await shown(65.5, 32.5))[0]).toBeGreaterThanOrEqual(60);
  expect((await shown(65.5, 32.5))[0]).toBeLessThanOrEqual(64);
  await chooseAutoTool(page);
  await clickImage(page, 20.5, 32.5);
  // Before, the projection was a maximum: the background everywhere, and no neuron was found.
  await expect.poll(async () => (await debug(page, (d) => d.doc())).neurons.length, { timeout: 30_000 }).toBe(1);
  await page.screenshot({ path: test.info().outputPath(tiled ? 'bright-stack-tiled.png' : 'bright-stack.png') });
  const nodes = (await debug(page, (d) => d.doc())).neurons[0].branches.flatMap((b) => b.nodes);
  expect(Math.max(...nodes.map((p) => p.x))).toBeGreaterThan(78);
}

test('a bright-background stack: the Z projection keeps its dark neurites, and the Auto tool traces the whole dendrite', async ({ app }) => {
  await traceBrightStack(app, false);
});

test('the same stack shown tiled (as a stack too large to decode whole) projects and traces the same', async ({ app }) => {
  await traceBrightStack(app, true);
});
