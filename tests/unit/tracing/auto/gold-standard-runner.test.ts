import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encodeTiff } from '../../../../shared/formats/tiff/encode';
import { decodeImage } from '../../../../shared/image/decode';
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
    const r = await score(image, gold, '--channel', '1', '--explain');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/: DIADEM 1\.000 \(xy 1\.2 px; matched\/gold\+excess 80\/80\+0\), SD 0\.00 px, SSD 0\.00 px, %SSD \(2 px\) 0\.000, recall of gold within 2 px 1\.000;/);
    // --explain: nothing unscored, so nothing to sort by cause.
    expect(r.stdout).toContain('tree 1: missed gold nodes (count, weight): none; excess traced nodes: none');
    // …and SNT's 15 branch points and 16 tips each have a traced one within 1.2 px.
    expect(r.stdout).toContain('gold key nodes with a traced one of their kind within 1.2 / 3 px: branch points 100 % / 100 % of 15, tips 100 % / 100 % of 16');
  }, 60_000);

  it('a channel the image lacks exits 1 naming the channels it has; an unreadable image exits 2', async () => {
    const r = await score(image, gold, '--channel', '2');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Channel 2 is out of range: the image has 1 channel.');
    const missing = await score('no-such-image.tif', gold);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot score no-such-image.tif');
    const bad = await score(image, gold, '--channel', '0');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Unknown or incomplete argument --channel');
  }, 60_000);

  it('an image saved without its pixel size, or at 72 dpi, is placed and traced at the voxel size the SWC header states (as SNT writes it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ramify-gold-'));
    try {
      // TreeV without its calibration (1 µm/px), and its reconstruction rewritten at 0.5 µm per px: the same pixels.
      const decoded = decodeImage(treeV as Uint8Array);
      const { width, height } = decoded.info;
      await writeFile(join(dir, 'bare.tif'), encodeTiff({ width, height, planes: [decoded.planes[0] as Uint8Array], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none' }));
      // The same at 72 dpi, as an image editor saves it: 352.8 µm per px is no microscope's.
      await writeFile(join(dir, 'print.tif'), encodeTiff({ width, height, planes: [decoded.planes[0] as Uint8Array], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', resolution: { x: 72, y: 72, unit: 'inch' } }));
      const rows = (await readFile(resolve(REPO, gold), 'utf8'))
        .split('\n')
        .filter((l) => /^\s*\d/.test(l))
        .map((l) => l.trim().split(/\s+/).map((v, k) => (k >= 2 && k <= 5 ? String(Number(v) * 0.5) : v)).join(' '));
      await writeFile(join(dir, 'half.swc'), ['# All positions and radii in µm', '# Voxel separation (x,y,z): 0.5, 0.5, 0.5', ...rows].join('\n'));
      await writeFile(join(dir, 'headless.swc'), rows.join('\n'));
      const scores = async (swc: string, tif = 'bare.tif') => {
        const r = await score(join(dir, tif), resolve(dir, swc), '--soma', '70.5,160.5');
        expect(r.code).toBe(0);
        return r.stdout.replace(/^.*?: /, '').replace(/; trace \d+ ms/, '');
      };
      // SNT's file states 1 µm per px: the bare image is traced at that, as TreeV.tif itself is, every twig kept.
      const full = await scores(resolve(REPO, gold));
      expect(full).toMatch(/^DIADEM 1\.000 \(xy 1\.2 px; matched\/gold\+excess 80\/80\+0\).*recall of gold within 2 px 1\.000/);
      expect(full).toContain("traced at 1 µm per px, the voxel size the SWC's header states (the image has no pixel size of its own)");
      // At 0.5 µm per px the gold lands on the same pixels, but the tracer's shortest branch (5 µm) is now 10 px, and
      // TreeV's twigs of 6–9 px go: placed right, scored lower.
      const half = await scores('half.swc');
      expect(half).toMatch(/recall of gold within 2 px 0\.9/);
      expect(half).toMatch(/^DIADEM 0\.9/);
      expect(half).toContain("traced at 0.5 µm per px, the voxel size the SWC's header states");
      // A print resolution (72 dpi) is no pixel size to trace at: the header's is taken all the same.
      expect(await scores('half.swc', 'print.tif')).toBe(half);
      // Without the header line the same file lands at half its size (1 µm per px): nothing matches, and the image is
      // traced at the tracer's assumed pixel size.
      const headless = await scores('headless.swc');
      expect(headless).toMatch(/recall of gold within 2 px 0\.[0-2]/);
      expect(headless).not.toContain('traced at');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
