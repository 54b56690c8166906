import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { canvasPixel, expect, openByDialog, sharedData, test, toPage, waitForImage } from './harness';

// Issue 14 §5: what an image looks like when it opens.
const SPOTSPINE = sharedData('micrographs/spotspine/SpotSpine_ImageStack_Test.tif');

test('a uniform image (1×1, value 128) shows mid-grey, not black', async ({ app }) => {
  const { page } = app;
  const path = join(mkdtempSync(join(tmpdir(), 'ramify-uniform-')), 'uniform.tif');
  writeFileSync(path, encodeTiff({ width: 1, height: 1, planes: [Uint8Array.of(128)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none' }));
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await openByDialog(app, path);
  await expect(page.getByLabel('Minimum of channel 1')).toHaveValue('128');
  await expect(page.getByLabel('Maximum of channel 1')).toHaveValue('128');
  const p = await toPage(page, 0.5, 0.5);
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  await expect.poll(() => canvasPixel(page, p.x - box.x, p.y - box.y)).toEqual([128, 128, 128, 255]);
});

test('a z-stack opens on its middle slice (SpotSpine: slice 21 of 41, where the dendrite is)', async ({ app }) => {
  test.skip(!SPOTSPINE, 'SpotSpine reference stack not on this machine');
  const { page } = app;
  await app.start();
  await waitForImage(page, 'sample-neurons.tif');
  await openByDialog(app, SPOTSPINE!);
  await expect(page.getByRole('slider', { name: 'Slice' })).toHaveValue('20');
  await expect(page.getByText('Slice 21/41')).toBeVisible();
  // The dendrite crosses the image: its brightest pixels on slice 21 display white with the file's range 0–68.
  await page.mouse.move(5, 5);
  await page.screenshot({ path: test.info().outputPath('spotspine-opened.png') });
});
