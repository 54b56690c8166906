import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { writeSwc } from '../../shared/formats/swc';
import type { AnnotationDocument } from '../../shared/model/document';
import { nodeCount, tracedField } from '../fixtures/traced-field';
import { debug, expect, test, toPage, waitForImage, type Harness } from './harness';

// A field of 40 neurons and 100,000 nodes on a 2048² image: the canvas draws it through its spatial index, level of
// detail and bitmaps; these tests hold that drawing to the plain one and the mouse to the document.
const SIZE = 2048;
const FIELD = tracedField({ neurons: 40, nodesPerNeuron: 2500, width: SIZE, height: SIZE, seed: 7 });

async function openField(app: Harness): Promise<AnnotationDocument> {
  const dir = mkdtempSync(join(tmpdir(), 'ramify-field-'));
  try {
    const plane = new Uint8Array(SIZE * SIZE).fill(40);
    writeFileSync(join(dir, 'field.tif'), encodeTiff({ width: SIZE, height: SIZE, planes: [plane], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none' }));
    writeFileSync(join(dir, 'field.swc'), writeSwc(FIELD, { allowPixels: true }));
    const { page } = app;
    await app.start();
    await waitForImage(page, 'sample-neurons.tif');
    app.dialogAnswers.push(join(dir, 'field.tif'));
    await app.services.menuActions.open();
    await waitForImage(page, 'field.tif');
    app.dialogAnswers.push(join(dir, 'field.swc'));
    app.services.menuActions.command('file:importTracing');
    await expect.poll(() => debug(page, (d) => d.doc().neurons.reduce((s, n) => s + n.branches.reduce((t, b) => t + b.nodes.length, 0), 0)), { timeout: 60_000 }).toBe(nodeCount(FIELD));
    return debug(page, (d) => d.doc());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The tracing layer as on screen against the same document painted plainly (every segment and marker, no index,
 * no simplification, no bitmap) at the same view. `near` = 0: pixel for pixel, returning how many differ and by how
 * much at most (premultiplied levels) — Skia's antialiasing of a path trimmed to the screen differs from the whole
 * path's by rounding on a few dozen edge pixels (measured: 55 of 82,742 drawn at 100 %, by ≤ 8 levels); `near` = 1: how many pixels
 * drawn in one lie farther than 1 px from every pixel drawn in the other (½ px simplification allows none).
 */
async function compareWithPlain(page: Page, near: 0 | 1): Promise<{ differing: number; largest: number; drawn: number }> {
  return page.evaluate((near) => {
    const handle = (window as unknown as { __ramify: { paintTracing(c: HTMLCanvasElement, mode: string): void } }).__ramify;
    const konva = (window as unknown as { Konva: { stages: Array<{ findOne(s: string): { getLayer(): { getCanvas(): { _canvas: HTMLCanvasElement } } } }> } }).Konva;
    const shown = konva.stages[0].findOne('.tracings').getLayer().getCanvas()._canvas;
    const plain = document.createElement('canvas');
    handle.paintTracing(plain, 'reference');
    const w = shown.width;
    const h = shown.height;
    if (plain.width !== w || plain.height !== h) return { differing: -1, largest: 255, drawn: 0 };
    const a = shown.getContext('2d')!.getImageData(0, 0, w, h).data;
    const b = plain.getContext('2d')!.getImageData(0, 0, w, h).data;
    let differing = 0;
    let largest = 0;
    let drawn = 0;
    const drawnNear = (d: Uint8ClampedArray, x: number, y: number) => {
      for (let yy = Math.max(0, y - 1); yy <= Math.min(h - 1, y + 1); yy++)
        for (let xx = Math.max(0, x - 1); xx <= Math.min(w - 1, x + 1); xx++) if (d[4 * (yy * w + xx) + 3] > 0) return true;
      return false;
    };
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const i = 4 * (y * w + x);
        if (b[i + 3] > 0) drawn++;
        if (near === 0) {
          // Premultiplied (as the canvas stores them): a faint edge pixel's colour means little on its own.
          const pm = (d: Uint8ClampedArray, k: number) => (d[k] * d[i + 3]) / 255;
          const d = Math.max(Math.abs(pm(a, i) - pm(b, i)), Math.abs(pm(a, i + 1) - pm(b, i + 1)), Math.abs(pm(a, i + 2) - pm(b, i + 2)), Math.abs(a[i + 3] - b[i + 3]));
          if (d > 0) differing++;
          largest = Math.max(largest, d);
        } else if ((a[i + 3] > 0 && !drawnNear(b, x, y)) || (b[i + 3] > 0 && !drawnNear(a, x, y))) differing++;
      }
    return { differing, largest, drawn };
  }, near);
}

/** Largest difference antialiasing rounding makes (premultiplied levels of 255). */
const ROUNDING = 12;

/** Waits for the view to rest (the crisp paint after copied frames), then expects the same pixels as the plain paint. */
async function expectPlainPixels(page: Page, label: string): Promise<void> {
  // At rest (after the crisp paint) the screen is a fresh paint: poll until then.
  await expect.poll(async () => (await compareWithPlain(page, 0)).largest, { message: label }).toBeLessThanOrEqual(ROUNDING);
  const r = await compareWithPlain(page, 0);
  expect(r.differing, label).toBeLessThanOrEqual(r.drawn / 200);
  expect(r.drawn, label).toBeGreaterThan(2000);
}

test.describe('a traced field of 100,000 nodes', () => {
  // Importing 100,000 nodes through the real SWC path takes a while on a loaded machine.
  test.setTimeout(240_000);
  test('draws the pixels of painting every segment (to antialiasing rounding), at 100 % to 400 %, after pans and wheel zooms; within 1 px when simplified', async ({ app }) => {
    const { page } = app;
    await openField(app);
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    await page.mouse.click(box.x + 5, box.y + 5);

    await page.keyboard.press('1');
    await expect(page.getByTestId('status-zoom')).toHaveText('100 %');
    await expectPlainPixels(page, '100 %');
    await page.keyboard.press('+');
    await expect(page.getByTestId('status-zoom')).toHaveText('141.4 %');
    await expectPlainPixels(page, '141.4 %');
    await page.keyboard.press('+');
    await expect(page.getByTestId('status-zoom')).toHaveText('200 %');
    await expectPlainPixels(page, '200 %');

    // Space-drag: frames copied from the bitmap while moving, then the crisp paint.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down('Space');
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + box.width / 2 - 23 * k, box.y + box.height / 2 - 11 * k);
    await page.mouse.up();
    await page.keyboard.up('Space');
    await expectPlainPixels(page, 'after a Space-drag at 200 %');

    // Wheel zoom: scaled bitmap frames, then the crisp paint.
    for (let k = 0; k < 3; k++) await page.mouse.wheel(0, -60);
    await expect.poll(async () => (await debug(page, (d) => d.camera())).scale).toBeGreaterThan(2.3);
    await expectPlainPixels(page, 'after wheel zoom');

    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await expect.poll(async () => (await debug(page, (d) => d.camera())).scale).toBeGreaterThanOrEqual(4);
    await expectPlainPixels(page, 'with every vertex drawn (≥ 400 %)');
    await page.screenshot({ path: test.info().outputPath('field-at-400.png') });

    // Fit (about 35 %): simplified lines, never farther than ½ px from the plain ones.
    await page.keyboard.press('0');
    await expect.poll(async () => (await debug(page, (d) => d.camera())).scale).toBeLessThan(0.5);
    await expect.poll(async () => (await compareWithPlain(page, 1)).differing).toBe(0);
    await page.screenshot({ path: test.info().outputPath('field-at-fit.png') });
    expect((await compareWithPlain(page, 1)).drawn).toBeGreaterThan(20_000);
  });

  test('a click among 100,000 nodes selects exactly the tip or the path under it', async ({ app }) => {
    const { page } = app;
    const doc = await openField(app);
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
    await page.mouse.click(box.x + 5, box.y + 5);
    await page.keyboard.press('1');
    await page.keyboard.press('e');
    const cam = await debug(page, (d) => d.camera());
    const onScreen = (x: number, y: number) => x * cam.scale + cam.x > 40 && x * cam.scale + cam.x < box.width - 40 && y * cam.scale + cam.y > 40 && y * cam.scale + cam.y < box.height - 40;

    // Independent of the app's hit test: every node and segment by brute force.
    const branchStarts = new Set<number>();
    for (const n of doc.neurons) for (const b of n.branches) if (b.parent.kind === 'node') branchStarts.add(b.parent.nodeId);
    const markers: Array<{ id: number; x: number; y: number }> = [];
    const segments: Array<{ branchId: number; ax: number; ay: number; bx: number; by: number }> = [];
    const where = new Map<number, { x: number; y: number }>();
    for (const n of doc.neurons) for (const b of n.branches) for (const p of b.nodes) where.set(p.id, p);
    for (const n of doc.neurons)
      for (const b of n.branches) {
        b.nodes.forEach((p, i) => {
          const tip = i === b.nodes.length - 1 && !branchStarts.has(p.id);
          if (tip || branchStarts.has(p.id)) markers.push({ id: p.id, x: p.x, y: p.y });
          const prev = i > 0 ? b.nodes[i - 1] : b.parent.kind === 'node' ? where.get(b.parent.nodeId) : undefined;
          if (prev) segments.push({ branchId: b.id, ax: prev.x, ay: prev.y, bx: p.x, by: p.y });
        });
      }
    const segDist = (s: (typeof segments)[number], x: number, y: number) => {
      const dx = s.bx - s.ax;
      const dy = s.by - s.ay;
      const t = Math.max(0, Math.min(1, ((x - s.ax) * dx + (y - s.ay) * dy) / (dx * dx + dy * dy || 1)));
      return Math.hypot(s.ax + t * dx - x, s.ay + t * dy - y);
    };

    // Tips with no other marker within 12 px (the hit tolerance is 7 screen px = 7 image px at 100 %).
    const tips = markers.filter((m) => onScreen(m.x, m.y) && !branchStarts.has(m.id) && markers.every((o) => o === m || Math.hypot(o.x - m.x, o.y - m.y) > 12)).slice(0, 3);
    expect(tips.length).toBe(3);
    for (const t of tips) {
      const p = await toPage(page, t.x, t.y);
      await page.mouse.click(p.x, p.y);
      expect(await debug(page, (d) => d.selection())).toEqual({ kind: 'node', nodeId: t.id });
    }

    // Points on a path with no marker within 12 px and no other path within 10 px.
    let picked = 0;
    for (let i = 0; i < segments.length && picked < 3; i += 197) {
      const s = segments[i];
      const x = (s.ax + s.bx) / 2;
      const y = (s.ay + s.by) / 2;
      if (!onScreen(x, y) || markers.some((m) => Math.hypot(m.x - x, m.y - y) <= 12)) continue;
      if (segments.some((o) => o.branchId !== s.branchId && segDist(o, x, y) <= 10)) continue;
      const p = await toPage(page, x, y);
      await page.mouse.click(p.x, p.y);
      expect(await debug(page, (d) => d.selection())).toEqual({ kind: 'branch', branchId: s.branchId });
      picked++;
    }
    expect(picked).toBe(3);
  });
});
