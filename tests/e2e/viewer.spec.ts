import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { decodeImage } from '../../shared/image/decode';
import { mainWindowOptions } from '../../electron/window-options';
import { chooseAutoTool, debug, expect, FIXTURES, imagePixel, test, toPage, waitForImage } from './harness';

const GRADIENT = join(FIXTURES, 'images/gradient-2ch.tif');

test.describe('viewer', () => {
  test('opens a 16-bit two-channel TIFF from the File menu, adjusts contrast, zooms and reads pixel values', async ({ app }) => {
    const { page } = app;
    await app.start();
    await waitForImage(page, 'sample-neurons.tif');

    // File ▸ Open…: main shows its dialog (scripted here), registers the file and tells the renderer.
    app.dialogAnswers.push(GRADIENT);
    await app.services.menuActions.open();
    await waitForImage(page, 'gradient-2ch.tif');
    await expect(page.getByTestId('status-image')).toHaveText('256×192 · 16-bit uint · 2 ch');
    await expect(page.getByTestId('calibration-summary')).toContainText('0.5 × 0.5 µm/px');
    await expect(page.getByTestId('calibration-summary')).toContainText('ImageJ metadata');
    expect(app.title()).toBe('gradient-2ch.tif — Ramify');

    // Raw values under the cursor: channel 1 = 100·x + y, channel 2 = 5000 + 10·y.
    const p = await toPage(page, 37.5, 21.5);
    await page.mouse.move(p.x, p.y);
    await expect(page.getByTestId('status-xy')).toHaveText('x 37, y 21 px');
    await expect(page.getByTestId('status-value')).toHaveText('c1 3721  c2 5210');
    await expect(page.getByTestId('status-um')).toHaveText('18.75, 10.75 µm');

    // Contrast: channel 2 only, range 5000–5960 maps row y to grey level (10y)/960 → row 48 is exactly half bright.
    await page.getByRole('radio', { name: 'Single channel' }).check();
    await page.getByRole('radio', { name: 'Show only channel 2' }).check();
    await page.getByLabel('Colour of channel 2').selectOption('grey');
    await page.getByLabel('Minimum of channel 2').fill('5000');
    await page.getByLabel('Maximum of channel 2').fill('5960');
    await expect.poll(() => imagePixel(page, 100.5, 48.5)).toEqual([128, 128, 128, 255]);
    await expect.poll(() => imagePixel(page, 100.5, 120.5)).toEqual([255, 255, 255, 255]);
    const box = (await page.getByTestId('viewer-canvas').boundingBox())!;

    // Zoom to 100 % then in with the keyboard (after leaving the number field, as a user would).
    await page.mouse.click(box.x + 5, box.y + 5);
    await page.keyboard.press('1');
    await expect(page.getByTestId('status-zoom')).toHaveText('100 %');
    await page.keyboard.press('+');
    await expect(page.getByTestId('status-zoom')).toHaveText('141.4 %');
    // Wheel zoom keeps the pixel under the cursor fixed.
    const q = await toPage(page, 60.5, 40.5);
    await page.mouse.move(q.x, q.y);
    await page.mouse.wheel(0, -300);
    await expect.poll(async () => (await debug(page, (d) => d.camera())).scale).toBeGreaterThan(2);
    await page.mouse.move(q.x + 1, q.y);
    await page.mouse.move(q.x, q.y);
    await expect(page.getByTestId('status-xy')).toHaveText('x 60, y 40 px');
    await expect(page.getByTestId('status-value')).toHaveText('c1 6040  c2 5400');

    await page.keyboard.press('0');
    await page.mouse.move(5, 5);
    await expect(page).toHaveScreenshot('gradient-channel2-grey.png');
  });

  test('sets calibration by hand and marks an uncalibrated image', async ({ app }) => {
    const { page } = app;
    await app.start();
    await waitForImage(page, 'sample-neurons.tif');
    await expect(page.getByTestId('calibration-summary')).toContainText('0.325 × 0.325 µm/px');
    await expect(page.getByRole('region', { name: 'Measurements' })).toContainText('Sholl circles, µm');
    // Esc in the dialog's field cancels the dialog (it only left the field, the dialog open over the image).
    await page.getByRole('button', { name: 'Set…' }).click();
    await page.getByLabel('Pixel size in µm').fill('0.5');
    await page.keyboard.press('Escape');
    await expect(page.getByRole('dialog', { name: 'Set calibration' })).toHaveCount(0);
    await expect(page.getByTestId('calibration-summary')).toContainText('0.325 × 0.325 µm/px');
    await page.getByRole('button', { name: 'Set…' }).click();
    await page.getByLabel('Pixel size in µm').fill('0.2');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByTestId('calibration-summary')).toContainText('0.2 × 0.2 µm/px');
    await expect(page.getByTestId('calibration-summary')).toContainText('set by hand');
    // Setting calibration is an edit: it undoes.
    await page.keyboard.press('Control+z');
    await expect(page.getByTestId('calibration-summary')).toContainText('0.325 × 0.325 µm/px');
  });

  test('a corrupt or wrong file gives a clear message (a microscope\'s own format named, with what to do) and the app keeps working', async ({ app }) => {
    const { page } = app;
    await app.start();
    await waitForImage(page, 'sample-neurons.tif');
    app.dialogAnswers.push(join(FIXTURES, 'images/not-an-image.tif'));
    await app.services.menuActions.open();
    await expect(page.getByRole('alert')).toContainText('not-an-image.tif');
    await expect(page.getByRole('alert')).toContainText('Corrupt TIFF');
    // The previous image is still usable.
    await expect(page.getByTestId('file-name')).toHaveText('sample-neurons.tif');
    app.dialogAnswers.push(join(FIXTURES, 'images/notes.txt'));
    await app.services.menuActions.open();
    await expect(page.getByRole('alert')).toContainText('notes.txt is not an image Ramify opens');
    // A microscope's own file is named, with what to do.
    const folder = mkdtempSync(join(tmpdir(), 'ramify-czi-'));
    writeFileSync(join(folder, 'cells.czi'), 'ZISRAWFILE');
    app.dialogAnswers.push(join(folder, 'cells.czi'));
    await app.services.menuActions.open();
    await expect(page.getByRole('alert')).toContainText('cells.czi is a Zeiss CZI file, which Ramify does not read (it reads TIFF, PNG and JPEG). Open it in Fiji (Bio-Formats) and save it as TIFF: its calibration comes along.');
    await expect(page.getByTestId('file-name')).toHaveText('sample-neurons.tif');
    // So is a folder of them chosen for a new project.
    app.dialogAnswers.push(folder);
    await page.getByRole('button', { name: 'Project ▾' }).click();
    await page.getByRole('menuitem', { name: 'New project from folder…' }).click();
    await expect(page.getByTestId('new-project-folder')).toHaveText(/: 0 images$/);
    await expect(page.getByRole('dialog', { name: 'New project' })).toContainText('1 file not added (cells.czi): it is a Zeiss CZI file');
  });

  test('shows the keyboard shortcuts', async ({ app }) => {
    const { page } = app;
    await app.start();
    await waitForImage(page, 'sample-neurons.tif');
    await app.services.menuActions.command('help:shortcuts');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(dialog).toContainText('Zoom to the cursor');
    await expect(dialog).toContainText('Remove the last anchor');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  });
});

test('the window at its smallest: the toolbar wraps and every control, the sidebar whole, stays in the window', async ({ app }) => {
  const { page } = app;
  const { minWidth, minHeight } = mainWindowOptions('');
  await page.setViewportSize({ width: minWidth!, height: minHeight! });
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await chooseAutoTool(page);
  const inside = async (name: string, box: { x: number; y: number; width: number; height: number } | null) => {
    expect(box, name).not.toBeNull();
    expect(box!.x, name).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width, `${name}: right edge`).toBeLessThanOrEqual(minWidth!);
  };
  // Until the toolbar wrapped, its one row (about 1100 px) widened the whole window's layout past 900 px: the sidebar
  // was cut at its left third and the file name and the shortcuts button were off the window.
  await inside('sidebar', await page.locator('aside.sidebar').boundingBox());
  await inside('file name', await page.getByTestId('file-name').boundingBox());
  await inside('shortcuts button', await page.getByRole('button', { name: '?', exact: true }).boundingBox());
  await inside('Detect neurons', await page.getByRole('button', { name: 'Detect neurons' }).boundingBox());
  const sidebar = (await page.locator('aside.sidebar').boundingBox())!;
  expect(sidebar.x + sidebar.width).toBe(minWidth);
  expect(await page.evaluate(() => document.querySelector('.app')!.scrollWidth)).toBe(minWidth);
  await expect(page.getByTestId('file-name')).toHaveText('sample-neurons.tif');
  await page.screenshot({ path: 'test-results/smallest-window.png' });
});

test('the toolbar menus close on a click elsewhere, on their button and on Esc, which does nothing more; one is open at a time', async ({ app }) => {
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await chooseAutoTool(page);
  const project = page.getByRole('button', { name: 'Project ▾' });
  const menu = page.getByRole('menu');
  await project.click();
  await expect(page.getByRole('menuitem', { name: 'New project from folder…' })).toBeVisible();
  // Until now the Project menu stayed open over the image after a click elsewhere.
  await page.getByTestId('viewer-canvas').click({ position: { x: 5, y: 5 } });
  await expect(menu).toHaveCount(0);
  await project.click();
  await expect(menu).toHaveCount(1);
  await project.click();
  await expect(menu).toHaveCount(0);
  await page.getByRole('button', { name: 'Recent ▾' }).click();
  await expect(page.getByRole('menu')).toContainText(/No recent files|sample-neurons\.tif/);
  await project.click();
  await expect(menu).toHaveCount(1);
  await expect(page.getByRole('menuitem', { name: 'Open project…' })).toBeVisible();
  // Esc closes it and nothing more: the Auto tool stays chosen (a second Esc puts the hand back).
  await page.keyboard.press('Escape');
  await expect(menu).toHaveCount(0);
  expect(await debug(page, (d) => d.tool())).toBe('auto');
  await page.keyboard.press('Escape');
  expect(await debug(page, (d) => d.tool())).toBe('navigate');
});

test('a file dropped on the window opens', async ({ app }) => {
  const { page } = app;
  app.dropFolder = join(FIXTURES, 'images');
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  // A browser File carries no path; in Electron the preload resolves it, here the harness's drop folder does.
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array([1, 2, 3])], 'gradient-2ch.tif', { type: 'image/tiff' }));
    return dt;
  });
  await page.getByTestId('viewer-canvas').dispatchEvent('drop', { dataTransfer });
  await waitForImage(page, 'gradient-2ch.tif');
  await expect(page.getByTestId('status-image')).toHaveText('256×192 · 16-bit uint · 2 ch');
});

for (const compression of ['lzw', 'deflate'] as const) {
  test(`a large ${compression} TIFF decodes in parallel workers with exact values and a progress indication`, async ({ app }) => {
    const { page } = app;
    // 2048² 16-bit hashed noise: incompressible, so the file is > 4 MB and goes to the strip-decoder pool (Deflate:
    // the WebAssembly kernel in each strip worker).
    const W = 2048;
    const value = (x: number, y: number) => (Math.imul(x, 2654435761) ^ Math.imul(y, 40503)) & 0xffff;
    const plane = new Uint16Array(W * W);
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) plane[y * W + x] = value(x, y);
    const dir = mkdtempSync(join(tmpdir(), 'ramify-large-'));
    const path = join(dir, `large-noise-${compression}.tif`);
    writeFileSync(path, encodeTiff({ width: W, height: W, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression, rowsPerStrip: 16 }));
    await app.start();
    await waitForImage(page, 'sample-neurons.tif');
    app.dialogAnswers.push(path);
    await app.services.menuActions.open();
    await expect(page.getByRole('progressbar')).toBeVisible();
    await waitForImage(page, `large-noise-${compression}.tif`);
    await expect(page.getByTestId('status-image')).toHaveText('2048×2048 · 16-bit uint · 1 ch');
    expect(await debug(page, (d) => d.decodeTimings())).toMatchObject({ decodedWith: 'workers', lzwKernel: 'wasm' });
    for (const [x, y] of [
      [0, 0],
      [1234, 567],
      [2047, 2047],
    ]) {
      const p = await toPage(page, x + 0.5, y + 0.5);
      await page.mouse.move(p.x, p.y);
      await expect(page.getByTestId('status-xy')).toHaveText(`x ${x}, y ${y} px`);
      await expect(page.getByTestId('status-value')).toHaveText(`value ${value(x, y)}`);
    }
  });
}

test('ZSTD and JPEG-in-TIFF files open, with the values libtiff reads', async ({ app }) => {
  const { page } = app;
  const codecs = join(FIXTURES, 'tiff/codecs');
  const expected = decodeImage(new Uint8Array(readFileSync(join(codecs, 'zstd-u16-predictor.expected.tif'))));
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  app.dialogAnswers.push(join(codecs, 'zstd-u16-predictor.tif'));
  await app.services.menuActions.open();
  await waitForImage(page, 'zstd-u16-predictor.tif');
  await expect(page.getByTestId('status-image')).toHaveText('97×70 · 16-bit uint · 1 ch');
  const p = await toPage(page, 40.5, 30.5);
  await page.mouse.move(p.x, p.y);
  await expect(page.getByTestId('status-xy')).toHaveText('x 40, y 30 px');
  await expect(page.getByTestId('status-value')).toHaveText(`value ${expected.planes[0][30 * 97 + 40]}`);
  app.dialogAnswers.push(join(codecs, 'jpeg-ycbcr.tif'));
  await app.services.menuActions.open();
  await waitForImage(page, 'jpeg-ycbcr.tif');
  await expect(page.getByTestId('status-image')).toHaveText('101×70 · 8-bit uint · 3 ch');
});
