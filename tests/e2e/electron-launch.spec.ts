import { _electron as electron } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, ROOT, test } from './harness';

// Launches the real Electron app where its binary is installed. On machines that cannot download Electron (CI
// here), the binary is absent and this spec skips: requiring the `electron` package would try to download it.
const pathFile = join(ROOT, 'node_modules/electron/path.txt');
const binary = process.env.ELECTRON_OVERRIDE_DIST_PATH
  ? join(process.env.ELECTRON_OVERRIDE_DIST_PATH, 'electron')
  : existsSync(pathFile)
    ? join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
    : null;

test.skip(!binary || !existsSync(binary), 'The Electron binary is not installed on this machine (it cannot be downloaded here); the renderer and main handlers are covered by the other specs.');

test('the packaged app starts on the bundled sample with a secure window', async () => {
  const app = await electron.launch({ executablePath: binary!, args: [join(ROOT, 'out/main/index.js')], cwd: ROOT });
  const window = await app.firstWindow();
  await expect(window.getByTestId('file-name')).toHaveText('sample-neurons.tif', { timeout: 30_000 });
  // No Node in the page: isolation and sandbox hold; only the contract is exposed.
  expect(await window.evaluate(() => [typeof (window as unknown as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual(['undefined', 'undefined']);
  expect(await window.evaluate(() => Object.keys((window as unknown as { api: object }).api).includes('image:openDropped'))).toBe(false);
  await app.close();
});
