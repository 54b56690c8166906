import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sharedData } from './reference-data';

const REPO = resolve(__dirname, '../../../..');
const treeV = sharedData('micrographs/snt/TreeV.tif');

/** The held-out gold standards are scored with this runner: run it as its README line says, in a child process. */
async function score(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)('npx', ['tsx', 'tests/bench/gold-standard.ts', ...argv], { cwd: REPO });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe.skipIf(!treeV)('npx tsx tests/bench/gold-standard.ts IMAGE GOLD', () => {
  const image = '../shared/data/micrographs/snt/TreeV.tif';
  const gold = '../shared/data/swc/snt/TreeV.swc';

  it("scores SNT's TreeV.tif against its own reconstruction: every branch point and tip, no distance", async () => {
    const r = await score(image, gold, '--channel', '1');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: DIADEM 1\.000 \(xy 1\.2 px; matched\/gold\+excess 80\/80\+0\), SD 0\.00 px, SSD 0\.00 px, %SSD \(2 px\) 0\.000, recall of gold within 2 px 1\.000;/);
  }, 60_000);

  it('a channel the image lacks exits 1 naming the channels it has; an unreadable image exits 2', async () => {
    const r = await score(image, gold, '--channel', '2');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Channel 2 is out of range: the image has 1 channel(s).');
    const missing = await score('no-such-image.tif', gold);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot score no-such-image.tif');
    const bad = await score(image, gold, '--channel', '0');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown or incomplete argument --channel');
  }, 60_000);
});
