import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encodeTiff } from '../../../../shared/formats/tiff/encode';
import { decodeImage } from '../../../../shared/image/decode';
import { sharedData } from './reference-data';
import { setSummary } from '../../../bench/gold-standard';

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

describe('the set summary against the bars of a held-out set (mean DIADEM ≥ 0.85, none under 0.75, %SSD ≤ 0.10)', () => {
  it('mean, lowest and worst worked out by hand; each bar missed is named, and what could not be scored', () => {
    const rows = [
      { name: 'a', diadem: 0.9, pctSsd: 0.05 },
      { name: 'b', diadem: 0.7, pctSsd: 0.12 },
    ];
    expect(setSummary(rows, 0)).toBe('2 of 2 gold standards scored: mean DIADEM 0.800 (xy 1.2 px), lowest 0.700 (b); %SSD (2 px) mean 0.085, worst 0.120 (b); misses the bars: mean DIADEM under 0.85, 1 under 0.75, 1 over %SSD 0.1');
    expect(setSummary([rows[0], { name: 'c', diadem: 0.86, pctSsd: 0.1 }], 0, { xyThreshold: 3 })).toBe('2 of 2 gold standards scored: mean DIADEM 0.880 (xy 3 px), lowest 0.860 (c); %SSD (2 px) mean 0.075, worst 0.100 (c); meets the bars (mean DIADEM ≥ 0.85, none under 0.75, %SSD ≤ 0.1)');
    expect(setSummary([rows[0]], 1)).toBe('1 of 2 gold standards scored: mean DIADEM 0.900 (xy 1.2 px), lowest 0.900 (a); %SSD (2 px) mean 0.050, worst 0.050 (a); misses the bars: 1 not scored');
    expect(setSummary([], 2)).toBe('0 of 2 gold standards scored; nothing scored');
  });
});

describe.skipIf(!treeV)('npx tsx tests/bench/gold-standard.ts --set FOLDER (a held-out set: each reconstruction beside its image)', () => {
  it("scores each pair at its gold roots and the set against the bars; a reconstruction without its image is named, an unreadable image exits 2 after the others", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ramify-gold-set-'));
    try {
      const swc = resolve(REPO, '../shared/data/swc/snt/TreeV.swc');
      await writeFile(join(dir, 'TreeV.tif'), treeV as Uint8Array);
      await copyFile(swc, join(dir, 'TreeV.swc'));
      await writeFile(join(dir, 'copy.TIFF'), treeV as Uint8Array);
      await copyFile(swc, join(dir, 'copy.swc'));
      await copyFile(swc, join(dir, 'orphan.swc'));
      const r = await score('--set', dir);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n');
      expect(lines[0]).toBe('no image of the same name beside orphan.swc: not scored');
      expect(lines[1]).toMatch(/^TreeV: DIADEM 1\.000 \(xy 1\.2 px; matched\/gold\+excess 80\/80\+0\), SD 0\.00 px, SSD 0\.00 px, %SSD \(2 px\) 0\.000/);
      expect(lines[2]).toMatch(/^copy: DIADEM 1\.000 \(xy 1\.2 px; matched\/gold\+excess 80\/80\+0\)/);
      expect(lines[3]).toBe('2 of 2 gold standards scored: mean DIADEM 1.000 (xy 1.2 px), lowest 1.000 (TreeV); %SSD (2 px) mean 0.000, worst 0.000 (TreeV); meets the bars (mean DIADEM ≥ 0.85, none under 0.75, %SSD ≤ 0.1)');

      await writeFile(join(dir, 'broken.tif'), new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f]));
      await copyFile(swc, join(dir, 'broken.swc'));
      const withBroken = await score('--set', dir, '--xy', '3');
      expect(withBroken.code).toBe(2);
      expect(withBroken.stderr).toContain(`Cannot score ${join(dir, 'broken.tif')} against ${join(dir, 'broken.swc')}`);
      expect(withBroken.stdout.trim().split('\n').pop()).toBe('2 of 3 gold standards scored: mean DIADEM 1.000 (xy 3 px), lowest 1.000 (TreeV); %SSD (2 px) mean 0.000, worst 0.000 (TreeV); misses the bars: 1 not scored');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('--soma in a set, or a folder missing or without a pair, is refused with the reason', async () => {
    const soma = await score('--set', REPO, '--soma', '70.5,160.5');
    expect(soma.code).toBe(1);
    expect(soma.stderr).toContain('--soma names one image: a set is traced at each gold root.');
    const missing = await score('--set', join(tmpdir(), 'ramify-no-such-folder'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Cannot read the folder');
    const empty = await score('--set', resolve(REPO, 'shared'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('No gold standard in');
  }, 60_000);
});
