import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnnotationDocument } from '../../shared/model/document';
import { parseAnnotation } from '../../shared/formats/annotation-file';
import { clickImage, debug, expect, SAMPLE, test, toPage, traceSomaAndPath, waitForImage } from './harness';

// Situations of docs/breakage-checklist.md that only the running app can show: a high-DPI screen with the image
// zoomed and panned, and undo after save.

const truth = JSON.parse(readFileSync(SAMPLE.replace('.tif', '.truth.json'), 'utf8')) as { document: AnnotationDocument };
const soma = truth.document.neurons[0].soma as { x: number; y: number };
const b102 = truth.document.neurons[0].branches.find((b) => b.id === 102)!.nodes;

/** Distance from p to the nearest point of the polyline. */
function toLine(p: { x: number; y: number }, line: Array<{ x: number; y: number }>): number {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const [a, b] = [line[i - 1], line[i]];
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(a.x + t * dx - p.x, a.y + t * dy - p.y));
  }
  return best;
}

test.describe('high-DPI screen (device pixel ratio 2)', () => {
  test.use({ deviceScaleFactor: 2 });

  test('zoomed in and panned, the soma and trace tools store the image pixels that were clicked', async ({ app }) => {
    const { page } = app;
    await app.start();
    await waitForImage(page, 'sample-neurons.tif');
    expect(await page.evaluate(() => window.devicePixelRatio)).toBe(2);
    const fitted = await debug(page, (d) => d.camera());

    // Zoom with the wheel over the middle of the path, then pan with a middle-button drag.
    const mid = await toPage(page, b102[15].x, b102[15].y);
    await page.mouse.move(mid.x, mid.y);
    for (let k = 0; k < 3; k++) await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await debug(page, (d) => d.camera())).scale).toBeGreaterThan(fitted.scale * 1.8);
    const zoomed = await debug(page, (d) => d.camera());
    await page.mouse.move(mid.x, mid.y);
    await page.mouse.down({ button: 'middle' });
    await page.mouse.move(mid.x + 60, mid.y + 40, { steps: 4 });
    await page.mouse.up({ button: 'middle' });
    const cam = await debug(page, (d) => d.camera());
    expect(cam.scale).toBe(zoomed.scale);
    expect([Math.round(cam.x - zoomed.x), Math.round(cam.y - zoomed.y)]).toEqual([60, 40]);

    // The canvas backing store has two device pixels per CSS px, so the image is drawn sharp.
    const backing = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="viewer-canvas"] canvas') as HTMLCanvasElement;
      return { ratio: c.width / c.clientWidth };
    });
    expect(backing.ratio).toBe(2);

    // Soma: stored where the click was, to a fraction of a pixel (a device-px/CSS-px mix-up would be off by 2×).
    await page.keyboard.press('s');
    await clickImage(page, soma.x, soma.y);
    const placed = (await debug(page, (d) => d.doc())).neurons[0].soma as { x: number; y: number };
    expect(Math.hypot(placed.x - soma.x, placed.y - soma.y)).toBeLessThan(0.5);

    // Trace: from the soma along the true branch 102; the anchor ends within 3 px of the click (snapped to the ridge
    // centre) and the whole path within 1.5 px of the true centre line on average.
    await page.keyboard.press('t');
    await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
    for (const k of [0, 15, 30]) await clickImage(page, b102[k].x, b102[k].y);
    await page.keyboard.press('Enter');
    const path = (await debug(page, (d) => d.doc())).neurons[0].branches;
    expect(path.map((b) => b.parent.kind)).toEqual(['soma']);
    const last = path[0].nodes.at(-1)!;
    expect(Math.hypot(last.x - b102[30].x, last.y - b102[30].y)).toBeLessThan(3);
    const mean = path[0].nodes.reduce((s, p) => s + toLine(p, b102), 0) / path[0].nodes.length;
    expect(mean).toBeLessThan(1.5);
  });
});

test('undo after save marks the tracing unsaved, leaves the file alone, and the next save writes the undone state', async ({ app }) => {
  const { page } = app;
  const dir = mkdtempSync(join(tmpdir(), 'ramify-undo-save-'));
  const image = join(dir, 'cells.tif');
  const saved = join(dir, 'cells.ramify.json');
  copyFileSync(SAMPLE, image);
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  app.dialogAnswers.push(image);
  await app.services.menuActions.open();
  await waitForImage(page, 'cells.tif');
  const doc = () => debug(page, (d) => d.doc());

  await traceSomaAndPath(page, soma, [b102[0], b102[30]]);
  await page.keyboard.press('Control+s');
  await expect(page).toHaveTitle('cells.tif — Ramify');
  const withPath = await doc();
  const onDisk = readFileSync(saved, 'utf8');
  expect(parseAnnotation(onDisk).document).toEqual(withPath);

  // Undo: unsaved again (title mark, and main would ask before closing); the saved file is untouched.
  await page.keyboard.press('Control+z');
  await expect.poll(async () => (await doc()).neurons[0].branches.length).toBe(0);
  await expect(page).toHaveTitle('• cells.tif — Ramify');
  expect(app.dirty).toBe(true);
  expect(readFileSync(saved, 'utf8')).toBe(onDisk);

  // Redo returns to exactly what is saved: nothing unsaved.
  await page.keyboard.press('Control+y');
  expect(await doc()).toEqual(withPath);
  await expect(page).toHaveTitle('cells.tif — Ramify');
  expect(app.dirty).toBe(false);

  // Undo and save: the file holds the soma without the path, the previous save is the backup; reopening shows it.
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+s');
  await expect(page).toHaveTitle('cells.tif — Ramify');
  const undone = parseAnnotation(readFileSync(saved, 'utf8')).document;
  expect(undone.neurons.map((n) => n.branches.length)).toEqual([0]);
  expect(readFileSync(`${saved}.bak`, 'utf8')).toBe(onDisk);
  await page.keyboard.press('Control+w');
  app.dialogAnswers.push(image);
  await app.services.menuActions.open();
  await waitForImage(page, 'cells.tif');
  await expect.poll(async () => (await doc()).neurons.map((n) => n.branches.length)).toEqual([0]);
});
