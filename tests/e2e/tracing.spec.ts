import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as ramify } from '../../electron/cli/ramify';
import type { AnnotationDocument } from '../../shared/model/document';
import type { Page } from '@playwright/test';
import { clickImage, debug, expect, openSampleAsSlideScan, ROOT, test, toPage, waitForImage } from './harness';

// Ground truth of the bundled sample (its first neuron): soma and the branches the test re-traces.
const truth = JSON.parse(readFileSync(join(ROOT, 'build/sample/sample-neurons.truth.json'), 'utf8')) as { document: AnnotationDocument };
const neuron = truth.document.neurons[0];
const branch = (id: number) => neuron.branches.find((b) => b.id === id)!;
const node = (id: number) => neuron.branches.flatMap((b) => b.nodes).find((n) => n.id === id)!;
const soma = neuron.soma as { x: number; y: number };

function meanDistance(points: Array<{ x: number; y: number }>, line: Array<{ x: number; y: number }>): number {
  let sum = 0;
  for (const p of points) {
    let best = Infinity;
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
      best = Math.min(best, Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y));
    }
    sum += best;
  }
  return sum / points.length;
}

test('traces a neuron with a soma, three primary dendrites and two branch points; undo, redo and node editing', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  const doc = () => debug(page, (d) => d.doc());

  // Soma: one click on the cell body.
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  await expect.poll(async () => (await doc()).neurons.length).toBe(1);

  // Trace tool: the ridge filter runs in a worker first.
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');

  // Primary 1 (live-wire): from the soma edge along truth branch 5, two anchors, Enter ends it.
  const b5 = branch(5).nodes;
  await clickImage(page, b5[0].x, b5[0].y);
  await clickImage(page, b5[40].x, b5[40].y);
  await clickImage(page, b5[95].x, b5[95].y);
  await page.keyboard.press('Enter');
  // Primary 2 (live-wire) along truth branch 102, ending with a double-click.
  const b102 = branch(102).nodes;
  await clickImage(page, b102[0].x, b102[0].y);
  await clickImage(page, b102[25].x, b102[25].y);
  const end2 = await toPage(page, b102[53].x, b102[53].y);
  await page.mouse.move(end2.x, end2.y);
  await page.mouse.dblclick(end2.x, end2.y);
  await debug(page, (d) => d.idle());
  // Primary 3: a straight first segment (Shift+click), then live-wire.
  const b157 = branch(157).nodes;
  await clickImage(page, b157[0].x, b157[0].y);
  await clickImage(page, b157[6].x, b157[6].y, { shift: true });
  await clickImage(page, b157[60].x, b157[60].y);
  await page.keyboard.press('Enter');

  let d = await doc();
  expect(d.neurons[0].branches.map((b) => b.parent.kind)).toEqual(['soma', 'soma', 'soma']);
  // The straight segment ends at a node on the clicked point (snapped onto the ridge centre, within 3 px), and like
  // every stretch it is stored as the refined centre line: within 0.5 px of the true one on average.
  const third = d.neurons[0].branches[2];
  const end = third.nodes.findIndex((n) => Math.hypot(n.x - b157[6].x, n.y - b157[6].y) < 3);
  expect(end).toBeGreaterThan(0);
  expect(meanDistance(third.nodes.slice(0, end + 1), b157)).toBeLessThan(0.5);

  // The app stores what `ramify trace` returns for the same clicks: the CLI, given the app's anchors (the snapped
  // start and clicks, stored exactly) with snapping off, reproduces primary 1 node for node.
  const first = d.neurons[0].branches[0].nodes;
  const anchorNear = (p: { x: number; y: number }) => first.reduce((a, n) => (Math.hypot(n.x - p.x, n.y - p.y) < Math.hypot(a.x - p.x, a.y - p.y) ? n : a));
  const anchors = [first[0], anchorNear(b5[40]), anchorNear(b5[95])];
  expect(anchors[2]).toBe(first.at(-1));
  let out = '';
  const code = await ramify(['trace', join(ROOT, 'build/sample/sample-neurons.tif'), '--no-snap', '--json', '--path', anchors.map((n) => `${n.x},${n.y}`).join(' ')], { stdout: (t) => (out += t), stderr: (t) => (out += t) });
  expect(code).toBe(0);
  expect(JSON.parse(out).paths[0].points).toEqual(first.map((n) => [n.x, n.y]));

  // Two side branches start on the traced dendrites: each makes a branch point.
  const bp1 = node(75);
  await clickImage(page, bp1.x, bp1.y);
  const b1193 = branch(1193).nodes;
  await clickImage(page, b1193[26].x, b1193[26].y);
  await page.keyboard.press('Enter');
  const bp2 = node(136);
  await clickImage(page, bp2.x, bp2.y);
  const b1221 = branch(1221).nodes;
  await clickImage(page, b1221[30].x, b1221[30].y);
  await page.keyboard.press('Enter');

  d = await doc();
  const traced = d.neurons[0];
  expect(traced.branches).toHaveLength(5);
  expect(traced.branches.map((b) => b.parent.kind)).toEqual(['soma', 'soma', 'soma', 'node', 'node']);
  // The side branches hang on nodes of primaries 1 and 2.
  const hostOf = (nodeId: number) => traced.branches.find((b) => b.nodes.some((n) => n.id === nodeId))!.id;
  expect(hostOf((traced.branches[3].parent as { nodeId: number }).nodeId)).toBe(traced.branches[0].id);
  expect(hostOf((traced.branches[4].parent as { nodeId: number }).nodeId)).toBe(traced.branches[1].id);
  // Live-wire followed the neurite: mean distance to the true centre line under 1.5 px.
  expect(meanDistance(traced.branches[0].nodes, b5)).toBeLessThan(1.5);
  expect(meanDistance(traced.branches[3].nodes, b1193)).toBeLessThan(1.5);

  // Undo removes the last branch; redo restores the identical document.
  const before = JSON.stringify(d);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await doc()).neurons[0].branches.length).toBe(4);
  await page.keyboard.press('Control+y');
  await expect.poll(async () => JSON.stringify(await doc())).toBe(before);

  // Edit: drag the tip of primary 3 (at this zoom only tips and branch points are drawn, so only they can be
  // grabbed; a click elsewhere on the line selects the path); the whole drag is one undo step.
  await page.keyboard.press('e');
  const tipIndex = traced.branches[2].nodes.length - 1;
  const moved = traced.branches[2].nodes[tipIndex];
  const from = await toPage(page, moved.x, moved.y);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + i * 2, from.y + i);
  await page.mouse.up();
  const cam = await debug(page, (dd) => dd.camera());
  await expect.poll(async () => (await doc()).neurons[0].branches[2].nodes[tipIndex].x).toBeCloseTo(moved.x + 20 / cam.scale, 3);
  await page.keyboard.press('Control+z');
  await expect.poll(async () => JSON.stringify(await doc())).toBe(before);
  await page.keyboard.press('Control+y');

  await page.mouse.move(5, 5);
  await expect(page).toHaveScreenshot('traced-neuron.png', { mask: [page.getByTestId('trace-status')] });
});

/**
 * Non-transparent pixels on the overlay layers (every canvas but the image's) within a screen px of the vertical line
 * at image x from image y0 to y1.
 */
async function overlayInk(page: Page, x: number, y0: number, y1: number): Promise<number> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  const a = await toPage(page, x, y0);
  const b = await toPage(page, x, y1);
  await page.waitForTimeout(100);
  return page.evaluate(
    ([sx, sy0, sy1]) => {
      const r = window.devicePixelRatio || 1;
      const canvases = [...document.querySelectorAll('[data-testid="viewer-canvas"] canvas')] as HTMLCanvasElement[];
      let ink = 0;
      for (const c of canvases.slice(1)) {
        const data = c.getContext('2d')!.getImageData(Math.floor((sx - 1) * r), Math.floor(sy0 * r), Math.ceil(3 * r), Math.ceil((sy1 - sy0) * r)).data;
        for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
      }
      return ink;
    },
    [a.x - box.x, a.y - box.y, b.y - box.y],
  );
}

test('live-wire on an image larger than it reads whole: a window around the path, moved by the clicks that leave it', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  // The sample read as a slide scan would be (tiled), with the live-wire reading at most 300 × 300 px of it.
  await openSampleAsSlideScan(app, { 'ramify.liveWireMaxPixels': 700 * 700, 'ramify.liveWireWindowPixels': 300 * 300 });
  const doc = () => debug(page, (d) => d.doc());
  const status = page.getByTestId('trace-status');

  await page.keyboard.press('t');
  await expect(status).toContainText(/Live-wire ready on 300 × 300 px from \(\d+, \d+\)/);
  // Along truth branch 5: its start, then 118 px and 236 px further (each click outside the window the last one read).
  const b5 = branch(5).nodes;
  await clickImage(page, b5[0].x, b5[0].y);
  await expect(status).toContainText('Live-wire ready on 300 × 300 px from (146, 133)');
  // The part read is outlined on the image while tracing: ink on the overlay layers along its left edge (x = 146),
  // none a little inside it.
  const edge = await overlayInk(page, 146, 160, 200);
  expect(edge).toBeGreaterThan(10);
  expect(await overlayInk(page, 156, 160, 200)).toBe(0);
  await clickImage(page, b5[40].x, b5[40].y);
  await clickImage(page, b5[80].x, b5[80].y);
  await debug(page, (d) => d.idle());
  // The window moved with the clicks: centred on the last (85.6, 391.4 on screen), so x = −64 slid to the image's
  // edge, y = 391.4 − 150.
  await expect(status).toContainText('Live-wire ready on 300 × 300 px from (0, 241)');
  const traced = (await doc()).neurons[0].branches[0].nodes;

  // A click 210 px back from the last one does not fit one window: it says so, and the path stays as it was.
  await clickImage(page, b5[0].x, b5[0].y);
  await expect(page.getByRole('alert')).toContainText('The live-wire reads 300 × 300 px of this 1024 × 1024 image (1.0 MP) at a time, and this stretch spans 211 × 109 px: click closer to the last point.');
  expect((await doc()).neurons[0].branches[0].nodes).toEqual(traced);
  await page.keyboard.press('Enter');
  await page.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
  // The outline follows the window (now from x = 0) and goes with the trace tool.
  expect(await overlayInk(page, 146, 160, 200)).toBe(0);
  expect(await overlayInk(page, 300, 245, 285)).toBeGreaterThan(10);
  await page.screenshot({ path: join(ROOT, 'test-results', 'live-wire-window.png') });
  await page.keyboard.press('e');
  expect(await overlayInk(page, 300, 245, 285)).toBe(0);

  // One path from b5[0] to b5[80] on the neurite's centre line, as on an image read whole.
  const branches = (await doc()).neurons[0].branches;
  expect(branches).toHaveLength(1);
  const nodes = branches[0].nodes;
  expect(Math.hypot(nodes[0].x - b5[0].x, nodes[0].y - b5[0].y)).toBeLessThan(3);
  expect(Math.hypot(nodes.at(-1)!.x - b5[80].x, nodes.at(-1)!.y - b5[80].y)).toBeLessThan(3);
  expect(meanDistance(nodes, b5)).toBeLessThan(1);
});

test('a trace click in the margin beside the image lands on its edge: every node stays in the image', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
  // The sample is 1024² px and shown whole, with dark margin around it: start 12 px left of it, go in, then end
  // 20 px left of it again.
  await clickImage(page, -12, 500);
  await clickImage(page, 60, 520);
  await clickImage(page, -20, 700);
  await page.keyboard.press('Enter');
  const doc = await debug(page, (d) => d.doc());
  const nodes = doc.neurons.flatMap((n) => n.branches.flatMap((b) => b.nodes));
  expect(nodes.length).toBeGreaterThan(3);
  for (const n of nodes) expect(n.x >= 0 && n.x <= 1024 && n.y >= 0 && n.y <= 1024, `node at (${n.x}, ${n.y})`).toBe(true);
  // Where the clicks were, on the edge: snapping moves a click up to 3 px to the ridge, then up to 1.5 px onto its
  // centre line.
  const path = doc.neurons[0].branches[0].nodes;
  expect(path[0].x).toBeLessThanOrEqual(4.5);
  expect(path.at(-1)!.x).toBeLessThanOrEqual(4.5);
  expect(Math.abs(path.at(-1)!.y - 700)).toBeLessThanOrEqual(4.5);
});

test('a cell body, an outline corner or a dragged node placed beside the image lands on its edge', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  const doc = () => debug(page, (d) => d.doc());
  // Soma tool: a click 30 px left of the image.
  await page.keyboard.press('s');
  await clickImage(page, -30, 500);
  await expect.poll(async () => (await doc()).neurons[0]?.soma).toMatchObject({ kind: 'point', x: 0, y: 500 });
  // Outline tool: a cell body cut by the top edge, two of its corners clicked above the image (in the few px of margin
  // between the image and the toolbar).
  await page.keyboard.press('o');
  for (const [x, y] of [[400, -6], [440, -8], [450, 30], [405, 35]]) await clickImage(page, x, y);
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await doc()).neurons[1]?.soma).toMatchObject({ kind: 'polygon', points: [{ x: 400, y: 0 }, { x: 440, y: 0 }, { x: 450, y: 30 }, { x: 405, y: 35 }] });
  // Edit tool: a path's end dragged 40 px past the right edge.
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
  await clickImage(page, 960, 800, { shift: true });
  await clickImage(page, 1000, 800, { shift: true });
  await page.keyboard.press('Enter');
  await page.keyboard.press('e');
  const path = (await doc()).neurons.at(-1)!.branches[0].nodes;
  const from = await toPage(page, path.at(-1)!.x, path.at(-1)!.y);
  const to = await toPage(page, 1064, 790);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + ((to.x - from.x) * i) / 10, from.y + ((to.y - from.y) * i) / 10);
  await page.mouse.up();
  await expect.poll(async () => (await doc()).neurons.at(-1)!.branches[0].nodes.at(-1)!.x).toBe(1024);
});
