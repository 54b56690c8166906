import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { expect, FIXTURES, type Harness, imagePixel, openByDialog, sharedData, test, waitForImage } from './harness';

// Issue 14 §5: what an image looks like when it opens.
const SPOTSPINE = sharedData('micrographs/spotspine/SpotSpine_ImageStack_Test.tif');

/** The app started on its sample, then `path` opened from the Open dialog, as a user opens a file of their own. */
async function startAndOpen(app: Harness, path: string): Promise<void> {
  await app.start();
  await waitForImage(app.page, 'sample-neurons.tif');
  await openByDialog(app, path);
}

test('a uniform image (1×1, value 128) shows mid-grey, not black', async ({ app }) => {
  const { page } = app;
  const path = join(mkdtempSync(join(tmpdir(), 'ramify-uniform-')), 'uniform.tif');
  writeFileSync(path, encodeTiff({ width: 1, height: 1, planes: [Uint8Array.of(128)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none' }));
  await startAndOpen(app, path);
  await expect(page.getByLabel('Minimum of channel 1')).toHaveValue('128');
  await expect(page.getByLabel('Maximum of channel 1')).toHaveValue('128');
  await expect.poll(() => imagePixel(page, 0.5, 0.5)).toEqual([128, 128, 128, 255]);
});

test('a colour (RGB) image shows in its own colours, and a PNG\'s or a TIFF\'s alpha is no channel', async ({ app }) => {
  const { page } = app;
  // Green 40 with a square of 200 in its middle; red the square's faint ghost (12), blue nothing; alpha 255 over all.
  const w = 64;
  const rgba = new Uint8Array(4 * w * w);
  for (let i = 0; i < w * w; i++) {
    const inSquare = Math.abs((i % w) - 32) < 8 && Math.abs(Math.floor(i / w) - 32) < 8;
    rgba.set([inSquare ? 12 : 0, inSquare ? 200 : 40, 0, 255], 4 * i);
  }
  const path = join(mkdtempSync(join(tmpdir(), 'ramify-colour-')), 'colour.png');
  writeFileSync(path, encodePng({ width: w, height: w, data: rgba, channels: 4, depth: 8 }));
  await startAndOpen(app, path);
  await expect(page.getByTestId('status-image')).toContainText('3 ch');
  for (const c of [1, 2, 3]) {
    await expect(page.getByLabel(`Minimum of channel ${c}`)).toHaveValue('0');
    await expect(page.getByLabel(`Maximum of channel ${c}`)).toHaveValue('255');
  }
  // Stretched one by one, the ghost showed the square white-yellow and the empty blue, like the alpha, tinted all.
  await expect.poll(() => imagePixel(page, 32.5, 32.5)).toEqual([12, 200, 0, 255]);
  await expect.poll(() => imagePixel(page, 5.5, 5.5)).toEqual([0, 40, 0, 255]);
  // A TIFF's RGBA (ExtraSamples: unassociated alpha) too; tifffile reads its pixel (7, 5) as 92, 93, 94 and alpha 95.
  await openByDialog(app, join(FIXTURES, 'tiff/tiff/image-rs/seq/seq-4c-8b-rgba-unassoc-50969cda.tiff'));
  await expect(page.getByTestId('status-image')).toContainText('3 ch');
  await expect(page.getByLabel('Maximum of channel 3')).toHaveValue('255');
  await expect.poll(() => imagePixel(page, 7.5, 5.5)).toEqual([92, 93, 94, 255]);
});

test('a Zeiss LSM opens as its stack of channels, calibrated from its header', async ({ app }) => {
  const { page } = app;
  // Written by tests/fixtures/tiff/lsm/make-lsm.py: 3 slices of 2 channels, a thumbnail after each, 0.2075 µm voxels.
  await startAndOpen(app, join(FIXTURES, 'tiff/lsm/zstack-2ch.lsm'));
  await expect(page.getByTestId('status-image')).toContainText('2 ch');
  await expect(page.getByText('Slice 2/3')).toBeVisible();
  await expect(page.getByTestId('calibration-summary')).toHaveText('0.2075 × 0.2075 µm/px, slices 0.5 µm apartfrom the Zeiss LSM header'); // a line break between
  await page.mouse.move(5, 5);
  await page.screenshot({ path: test.info().outputPath('lsm-opened.png') });
});

test("an OME-TIFF's channels open in their colours and are called by their names", async ({ app }) => {
  const { page } = app;
  // tests/fixtures/tiff/ome-colours/make-ome-colours.py: "MAP2" in red (-16776961), "DAPI" in blue (65535).
  await startAndOpen(app, join(FIXTURES, 'tiff/ome-colours/red-blue.ome.tif'));
  await expect(page.getByLabel('Colour of channel 1')).toHaveValue('red');
  await expect(page.getByLabel('Colour of channel 2')).toHaveValue('blue');
  await expect(page.getByTestId('channel-2').locator('strong')).toHaveText('2 · DAPI');
  await expect(page.getByLabel('Tracing channel').locator('option')).toHaveText(['1 · MAP2', '2 · DAPI']);
  await page.mouse.move(5, 5);
  await page.screenshot({ path: test.info().outputPath('ome-named.png') });
});

test('a z-stack opens on its middle slice (SpotSpine: slice 21 of 41, where the dendrite is)', async ({ app }) => {
  test.skip(!SPOTSPINE, 'SpotSpine reference stack not on this machine');
  const { page } = app;
  await startAndOpen(app, SPOTSPINE!);
  await expect(page.getByRole('slider', { name: 'Slice' })).toHaveValue('20');
  await expect(page.getByText('Slice 21/41')).toBeVisible();
  // The dendrite crosses the image: its brightest pixels on slice 21 display white with the file's range 0–68.
  await page.mouse.move(5, 5);
  await page.screenshot({ path: test.info().outputPath('spotspine-opened.png') });
});
